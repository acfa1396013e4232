"""Shared fixtures: a Tessera home in a temporary folder, and a local stand-in for the API's HTTP side."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tessera_client import TesseraHome


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


Reply = tuple[int, Any] | tuple[int, Any, dict[str, str]]


@dataclass
class ApiStandIn:
    """Answers each `(method, path)` with a fixed reply or a function of the request; records every request."""

    url: str
    routes: dict[tuple[str, str], Reply | Callable[[Received], Reply]] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)

    def on(self, method: str, path: str, reply: Reply | Callable[[Received], Reply]) -> None:
        self.routes[(method, path)] = reply

    def requests_to(self, path: str) -> list[Received]:
        return [request for request in self.received if request.path.split("?")[0] == path]


@pytest.fixture
def api() -> Iterator[ApiStandIn]:
    stand_in: ApiStandIn

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            received = Received(
                self.command,
                self.path,
                {name.lower(): value for name, value in self.headers.items()},
                json.loads(raw) if raw else None,
            )
            stand_in.received.append(received)
            reply = stand_in.routes.get(
                (self.command, self.path.split("?")[0]),
                (404, {"error": {"code": "not_found", "message": "No route.", "requestId": "r-404"}}),
            )
            status, body, *rest = reply(received) if callable(reply) else reply
            headers = rest[0] if rest else {}
            data = b"" if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = _answer

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    stand_in = ApiStandIn(url=f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield stand_in
    server.shutdown()
    server.server_close()


@pytest.fixture
def home(tmp_path: Path) -> TesseraHome:
    return TesseraHome(str(tmp_path / ".tessera"))
