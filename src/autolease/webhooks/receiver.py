"""A reference receiver: verifies each request, processes each event id once.

For local development, the tests and the benchmark (docs/webhooks.md shows the same steps
for an SP's own server). `respond` decides the answer to each request, so a receiver can fail
and then recover; an event is *processed* (kept in `processed`) only when the answer is 2xx
and its id was not processed before, as a receiver that stores the event id in the same
transaction as its effect would.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from autolease.webhooks.signing import (
    DEFAULT_REPLAY_WINDOW_S,
    EVENT_ID_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    SignatureInvalid,
    verify,
)

MAX_BODY_BYTES = 1 << 20


@dataclass
class Received:
    """What the receiver saw; read it under `lock`."""

    requests: int = 0
    rejected: int = 0
    duplicates: int = 0
    processed: dict[str, dict[str, Any]] = field(default_factory=dict)
    processed_at: dict[str, float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def always_ok(_request_number: int, _event_id: str) -> int:
    return 200


class Receiver:
    """An HTTP server on 127.0.0.1 in a background thread; `url` is where it listens."""

    def __init__(
        self,
        secret: str = "",
        *,
        respond: Callable[[int, str], int] = always_ok,
        now: Callable[[], float] = time.time,
        window_s: int = DEFAULT_REPLAY_WINDOW_S,
    ) -> None:
        self.secret = secret
        self.respond = respond
        self.now = now
        self.window_s = window_s
        self.received = Received()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/hooks"

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def handle(self, body: bytes, headers: dict[str, str]) -> int:
        """The status answered to one request (runs on the server's threads)."""
        got = self.received
        with got.lock:
            got.requests += 1
            number = got.requests
        try:
            verify(
                self.secret,
                body=body,
                timestamp=headers.get(TIMESTAMP_HEADER.lower()),
                signature_header=headers.get(SIGNATURE_HEADER.lower()),
                now=self.now(),
                window_s=self.window_s,
            )
        except SignatureInvalid:
            with got.lock:
                got.rejected += 1
            return 400
        event_id = headers.get(EVENT_ID_HEADER.lower(), "")
        status = self.respond(number, event_id)
        if 200 <= status < 300:
            self._process(event_id, body)
        return status

    def _process(self, event_id: str, body: bytes) -> None:
        got = self.received
        with got.lock:
            if event_id in got.processed:
                got.duplicates += 1
                return
            got.processed[event_id] = json.loads(body)
            got.processed_at[event_id] = time.time()


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(min(length, MAX_BODY_BYTES))
            headers = {k.lower(): v for k, v in self.headers.items()}
            status = receiver.handle(body, headers)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler
