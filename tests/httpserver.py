"""A loopback HTTP server for tests: fixture bytes, Range support, scripted faults, a request log.

    with FixtureServer() as server:
        server.files["/R07zenpen.pdf"] = pdf_bytes
        server.script = ["cut"]            # actions for the next requests, in order; then "serve"
        fetch(server.url("/R07zenpen.pdf"))
        server.requests                    # [{"path": ..., "range": ..., <lower-cased headers>}, ...]

Actions: "serve" (200, or 206 for a Range request), "serve-ignoring-range" (always a full 200),
"cut" (announce the full Content-Length, send half, close), "hang" (accept, never answer),
"error-500", and "redirect:<url>" (302 to <url>). An unknown path is a 404 with an HTML body.
"""

from __future__ import annotations

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HANG_LIMIT_S = 10.0  # a "hang" handler gives up after this, or as soon as the server stops
POLL_INTERVAL_S = 0.02  # how soon serve_forever notices shutdown()
HTML_404 = b"<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>\n"


class FixtureServer:
    """A ThreadingHTTPServer on 127.0.0.1 with a free port, run in a daemon thread."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.script: list[str] = []
        self.requests: list[dict[str, str]] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.fixture = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(POLL_INTERVAL_S,), daemon=True)

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def next_action(self, request: dict[str, str]) -> str:
        with self._lock:
            self.requests.append(request)
            return self.script.pop(0) if self.script else "serve"

    def __enter__(self) -> FixtureServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        fixture: FixtureServer = self.server.fixture  # type: ignore[attr-defined]
        request = {"path": self.path, **{k.lower(): v for k, v in self.headers.items()}}
        action = fixture.next_action(request)
        self.close_connection = True
        if action == "hang":
            fixture.stopping.wait(HANG_LIMIT_S)
            return
        if action == "error-500":
            return self._send(500, b"<html><body>Internal Server Error</body></html>", "text/html")
        if action.startswith("redirect:"):
            self.send_response(302)
            self.send_header("Location", action.removeprefix("redirect:"))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = fixture.files.get(self.path)
        if body is None:
            return self._send(404, HTML_404, "text/html")
        if action == "cut":
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            return
        match = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        if match and action != "serve-ignoring-range":
            start = int(match.group(1))
            end = min(int(match.group(2) or len(body) - 1), len(body) - 1)
            if start >= len(body):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(body)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            return self._send(
                206, body[start : end + 1], "application/pdf", {"Content-Range": f"bytes {start}-{end}/{len(body)}"}
            )
        return self._send(200, body, "application/pdf" if body.startswith(b"%PDF-") else "text/html")

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Accept-Ranges", "bytes")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
