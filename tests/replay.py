"""A small scriptable HTTP server for client robustness tests.

Each path is told what to do: answer with a status and body (optionally after a delay),
answer a sequence of replies in turn, or drop the connection. It counts the requests it
gets and keeps the last one, so tests can tell a retry from a single attempt.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b"{}"
    content_type: str = "application/json"
    delay: float = 0.0
    drop: bool = False  # close the socket without answering
    stall: float = 0.0  # send the headers and half the body, then wait this long
    headers: tuple[tuple[str, str], ...] = ()


class ReplayServer:
    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.hits: dict[str, int] = defaultdict(int)
        self.last: dict[str, tuple[dict[str, str], bytes, str]] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:
                path, _, query = self.path.partition("?")
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                server.hits[path] += 1
                server.last[path] = (dict(self.headers), body, query)
                queue = server.routes.get(path) or [Reply(404, b'{"message": "no route"}')]
                reply = queue.pop(0) if len(queue) > 1 else queue[0]
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.drop:
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                data = reply.body.encode() if isinstance(reply.body, str) else reply.body
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in reply.headers:
                    self.send_header(name, value)
                self.end_headers()
                if reply.stall:
                    self.wfile.write(data[: len(data) // 2])
                    self.wfile.flush()
                    time.sleep(reply.stall)
                    return
                self.wfile.write(data)

            do_GET = do_POST

        class QuietServer(ThreadingHTTPServer):
            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client that hangs up mid-reply is what several tests do on purpose

        self._server = QuietServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def route(self, path: str, *replies: Reply) -> str:
        """Script the replies for ``path`` (the last one repeats); return its full URL."""
        self.routes[path] = list(replies)
        self.hits[path] = 0
        return self.url + path

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
