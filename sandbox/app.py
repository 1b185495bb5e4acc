"""The WSGI application: routing, the scenario header, added latency, JSON replies."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from werkzeug.wrappers import Response

from . import catalog, income_api, npwp_api
from .openapi import SPEC_JSON
from .recognition import SampleIndex
from .scenarios import NO_SCENARIO, SCENARIO_HEADER, SCENARIOS, SLOW_SECONDS
from .wire import Reply

log = logging.getLogger("sandbox")

_SCENARIO_ENVIRON_KEY = "HTTP_" + SCENARIO_HEADER.upper().replace("-", "_")

# What a crash inside a handler turns into, in each endpoint's own wire format, so that
# even a sandbox bug looks like something the client already knows how to handle.
_CRASH_REPLIES = {
    npwp_api.PATH: Reply(500, npwp_api.SERVER_ERROR),
    income_api.PATH: income_api.vendor_code(9500, "Internal error"),
}


class SandboxApp:
    """WSGI callable serving both vendor endpoints, /health, /openapi.json and the sandbox's catalogue."""

    def __init__(self, latency_ms: int = 0, samples_dir: Path | str | None = None) -> None:
        if latency_ms < 0:
            raise ValueError("latency_ms must be >= 0")
        self.latency_s = latency_ms / 1000
        self.samples = SampleIndex(samples_dir)
        # (method -> handler, scenario set) per path. Scenario sets are None for paths
        # that ignore the header.
        self._routes: dict[str, tuple[dict[str, Callable[[dict[str, Any], str | None], Reply]], str | None]] = {
            npwp_api.PATH: ({"POST": self._npwp}, "npwp"),
            income_api.PATH: ({"POST": income_api.handle}, "income"),
            "/health": ({"GET": self._health, "HEAD": self._health}, None),
            "/openapi.json": ({"GET": self._openapi, "HEAD": self._openapi}, None),
            catalog.CATALOG_PATH: ({"GET": self._catalog, "HEAD": self._catalog}, None),
            catalog.SAMPLES_PREFIX: ({"GET": self._sample, "HEAD": self._sample}, None),
        }

    def warm_up(self) -> None:
        """Do the one-off work (hashing the sample cards) before the first request."""
        self.samples.load()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        reply, delay = self._dispatch(environ)
        if delay:
            time.sleep(delay)
        if isinstance(reply, Response):
            return reply(environ, start_response)
        response = Response(json.dumps(reply.body), reply.status, reply.headers, mimetype="application/json")
        return response(environ, start_response)

    def _dispatch(self, environ: dict[str, Any]) -> tuple[Reply | Response, float]:
        path = environ.get("PATH_INFO", "")
        # /sandbox/samples/<file> is the one route with a variable part.
        route = self._routes.get(catalog.SAMPLES_PREFIX if path.startswith(catalog.SAMPLES_PREFIX) else path)
        if route is None:
            return Reply(404, {"message": f"Not found: {path}"}), self.latency_s
        methods, api = route
        handler = methods.get(environ["REQUEST_METHOD"])
        if handler is None:
            allowed = ", ".join(methods)
            return Reply(405, {"message": "Method not allowed", "allowed": list(methods)}, {"Allow": allowed}), self.latency_s

        scenario = None
        if api is not None:
            raw = environ.get(_SCENARIO_ENVIRON_KEY, "").strip()
            scenario = raw.lower()
            if scenario in NO_SCENARIO:
                scenario = None
            elif scenario not in SCENARIOS[api]:
                valid = list(SCENARIOS[api])
                # The list goes in the message too: clients often show only "message".
                return Reply(
                    400,
                    {
                        "message": f"Unknown sandbox scenario {raw!r}; valid: {', '.join(valid)}",
                        "valid_scenarios": valid,
                    },
                ), self.latency_s

        delay = self.latency_s + (SLOW_SECONDS if scenario == "slow" else 0.0)
        try:
            reply = handler(environ, scenario)
            return reply, delay + (reply.delay if isinstance(reply, Reply) else 0.0)
        except Exception:
            # Log the traceback only: request bodies and credentials never go to the log.
            log.exception("sandbox: handler for %s failed", path)
            return _CRASH_REPLIES.get(path, Reply(500, {"message": "Internal server error"})), delay

    def _npwp(self, environ: dict[str, Any], scenario: str | None) -> Reply:
        return npwp_api.handle(environ, scenario, self.samples.recognize)

    def _health(self, environ: dict[str, Any], scenario: str | None) -> Reply:
        return Reply(
            200,
            {
                "status": "ok",
                "service": "kyc-studio-sandbox",
                "latency_ms": round(self.latency_s * 1000),
                "samples": len(self.samples),
                "scenarios": {api: list(names) for api, names in SCENARIOS.items()},
            },
        )

    def _openapi(self, environ: dict[str, Any], scenario: str | None) -> Response:
        return Response(SPEC_JSON, 200, mimetype="application/json")

    def _catalog(self, environ: dict[str, Any], scenario: str | None) -> Reply:
        return Reply(200, catalog.catalog(self.samples.samples_dir))

    def _sample(self, environ: dict[str, Any], scenario: str | None) -> Reply | Response:
        return catalog.sample_file(self.samples.samples_dir, environ.get("PATH_INFO", "").removeprefix(catalog.SAMPLES_PREFIX))
