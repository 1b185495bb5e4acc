"""``python -m sandbox``: run the sandbox in the foreground until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from types import FrameType

from .server import build_server, server_url


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be >= 0")
    return value


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    # serve_forever treats KeyboardInterrupt as a clean stop and closes the socket.
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, start serving, and block until stopped."""
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="port; 0 picks a free one (default 8765)")
    parser.add_argument("--latency-ms", type=_non_negative, default=0, help="delay added to every response")
    parser.add_argument("--verbose", action="store_true", help="log method, path and status of each request")
    args = parser.parse_args(argv)

    if args.verbose:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    try:
        server = build_server(args.host, args.port, args.latency_ms, verbose=args.verbose)
    except OSError as exc:
        print(f"sandbox: {exc}", file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    print(f"KYC Studio sandbox listening on {server_url(server)}", flush=True)
    server.serve_forever()  # returns on Ctrl-C / SIGTERM, socket closed
    return 0


if __name__ == "__main__":
    sys.exit(main())
