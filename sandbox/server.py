"""Running the sandbox: a threaded werkzeug server, in a background thread or in the foreground."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from types import TracebackType

from werkzeug.serving import BaseWSGIServer, ThreadedWSGIServer, WSGIRequestHandler

from .app import SandboxApp

log = logging.getLogger("sandbox")

# How often the serve loop checks for shutdown; bounds how long stop() takes.
_POLL_INTERVAL = 0.05

# Connections the kernel queues for us until accept() (the listen backlog; Linux caps it at
# net.core.somaxconn). werkzeug asks for 128. A burst of new connections past that (a batch
# run or a load test opening hundreds at once while the accepting thread waits for the GIL)
# overflows the queue and clients get "connection reset by peer": 500 clients connecting at
# once saw 2-49 resets per run with 128 and none with 1024. 50 clients never came near it.
LISTEN_BACKLOG = 1024


class _QuietHandler(WSGIRequestHandler):
    """Request handler that logs nothing by default, and never a query string or body.

    The income API carries partner_key in the query string, so werkzeug's default access
    line (full request line) and http.server's error lines (which echo it) are replaced.
    """

    # A client that stops sending mid-body must not pin a thread forever.
    timeout = 30

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if getattr(self.server, "sandbox_verbose", False):
            path = getattr(self, "path", "").split("?", 1)[0]
            log.info("%s %s %s", getattr(self, "command", "-"), path, code)

    def log_error(self, format: str, *args: object) -> None:
        if getattr(self.server, "sandbox_verbose", False):
            # Only the status code: http.server's message may quote the request line.
            code = args[0] if args and isinstance(args[0], int) else "-"
            log.warning("request error %s", code)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _SandboxServer(ThreadedWSGIServer):
    """werkzeug's threaded server (what ``make_server(threaded=True)`` builds), deeper backlog."""

    request_queue_size = LISTEN_BACKLOG


def _display_host(host: str) -> str:
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


def build_server(
    host: str = "127.0.0.1",
    port: int = 0,
    latency_ms: int = 0,
    *,
    verbose: bool = False,
    samples_dir: Path | str | None = None,
) -> BaseWSGIServer:
    """Bind a threaded werkzeug server for the sandbox app (not yet serving)."""
    app = SandboxApp(latency_ms=latency_ms, samples_dir=samples_dir)
    app.warm_up()
    try:
        server = _SandboxServer(host, port, app, _QuietHandler)
    except SystemExit:
        # werkzeug prints the reason and calls sys.exit on a bind failure; a library
        # caller deserves an exception instead.
        raise OSError(f"cannot listen on {host}:{port} (port in use or address not available)") from None
    server.sandbox_verbose = verbose  # type: ignore[attr-defined]
    return server


def server_url(server: BaseWSGIServer) -> str:
    """The base URL a client should use, e.g. http://127.0.0.1:8765."""
    return f"http://{_display_host(server.host)}:{server.port}"


class SandboxHandle:
    """A sandbox serving in a background thread. Use as a context manager or call stop()."""

    def __init__(self, server: BaseWSGIServer) -> None:
        self._server = server
        self.host: str = server.host
        self.port: int = server.port
        self.url: str = server_url(server)
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": _POLL_INTERVAL},
            name=f"kyc-sandbox-{self.port}",
            daemon=True,
        )
        self._stopped = False
        self._thread.start()

    def stop(self) -> None:
        """Stop serving, close the listening socket and join the thread. Idempotent."""
        if self._stopped:
            return
        self._stopped = True
        self._server.shutdown()
        self._thread.join()
        self._server.server_close()

    def __enter__(self) -> SandboxHandle:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "stopped" if self._stopped else "running"
        return f"<SandboxHandle {self.url} {state}>"


def start_in_thread(
    port: int = 0,
    host: str = "127.0.0.1",
    latency_ms: int = 0,
    *,
    verbose: bool = False,
    samples_dir: Path | str | None = None,
) -> SandboxHandle:
    """Start the sandbox on ``host:port`` (0 = a free port) in a daemon thread.

    Returns once the socket is listening, so ``handle.url`` is usable at once.
    """
    return SandboxHandle(build_server(host, port, latency_ms, verbose=verbose, samples_dir=samples_dir))
