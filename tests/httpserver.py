"""A real HTTP server on loopback for the tests, with routes registered per test.

The standard library's ThreadingHTTPServer on ``127.0.0.1:0`` runs in a thread for the whole
session (see ``tests/conftest.py``). A test registers the routes it needs under its own path
prefix, with :class:`Reply` values or functions of the request, and reads back the request log:
what was asked, with which headers, and when each request started and finished (for overlap,
never for timing assertions).
"""

from __future__ import annotations

import email.utils
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count

__all__ = ["Logged", "Reply", "Routes", "TestServer", "sequence", "static"]


@dataclass(frozen=True)
class Reply:
    """One response: status, headers, body, and how to misbehave."""

    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    """Seconds to wait before answering (latency, or a response slower than a timeout)."""
    declared_length: int | None = None
    """The Content-Length to announce; more than ``len(body)`` sends a truncated body."""
    chunks: Callable[[], Iterator[bytes]] | None = None
    """A body sent with chunked encoding and no Content-Length, produced as it is sent."""


@dataclass
class Logged:
    """One request the server received, logged as it arrives and completed as it ends."""

    method: str
    path: str
    headers: dict[str, str]
    started: float
    finished: float | None = None
    """When the response ended; None while it is still being sent."""
    sent: int = 0
    """Body bytes written so far (all of them, or as many as before the client went away)."""


Handler = Callable[[BaseHTTPRequestHandler], Reply]


def static(
    body: bytes,
    *,
    media_type: str = "application/octet-stream",
    etag: str | None = None,
    last_modified: str | None = None,
    cache_control: str | None = None,
    delay: float = 0.0,
) -> Handler:
    """A fixed body with validators; conditional requests that match get 304 Not Modified."""
    headers = [("Content-Type", media_type)]
    if etag:
        headers.append(("ETag", etag))
    if last_modified:
        headers.append(("Last-Modified", last_modified))
    if cache_control:
        headers.append(("Cache-Control", cache_control))

    def answer(request: BaseHTTPRequestHandler) -> Reply:
        if_none_match = request.headers.get("If-None-Match")
        if_modified_since = request.headers.get("If-Modified-Since")
        not_modified = (etag is not None and if_none_match == etag) or (
            if_none_match is None
            and last_modified is not None
            and if_modified_since is not None
            and email.utils.parsedate_to_datetime(if_modified_since)
            >= email.utils.parsedate_to_datetime(last_modified)
        )
        status, content = (304, b"") if not_modified else (200, body)
        return Reply(status, content, tuple(headers), delay=delay)

    return answer


def sequence(*replies: Reply) -> Handler:
    """One reply per request, in order; the last one is repeated."""
    lock = threading.Lock()
    served = count()

    def answer(request: BaseHTTPRequestHandler) -> Reply:
        with lock:
            index = next(served)
        return replies[min(index, len(replies) - 1)]

    return answer


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # the log is kept, not printed
        pass

    def do_GET(self) -> None:
        # Logged before answering, so a client that has its answer always finds its request.
        logged = Logged(
            "GET",
            self.path,
            {name.lower(): value for name, value in self.headers.items()},
            time.monotonic(),
        )
        self.server.record(logged)
        handler = self.server.routes.get(self.path) or self.server.routes.get(
            self.path.split("?", 1)[0]
        )
        reply = handler(self) if handler else Reply(404, b"not found")
        try:
            if reply.delay:
                time.sleep(reply.delay)
            self.send_response(reply.status)
            for name, value in reply.headers:
                self.send_header(name, value)
            if reply.chunks is not None:
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for chunk in reply.chunks():
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    logged.sent += len(chunk)
                self.wfile.write(b"0\r\n\r\n")
            else:
                length = len(reply.body) if reply.declared_length is None else reply.declared_length
                self.send_header("Content-Length", str(length))
                self.end_headers()
                self.wfile.write(reply.body)
                logged.sent = len(reply.body)
                if length > len(reply.body):
                    self.close_connection = True
            self.wfile.flush()
        except OSError:  # the client went away (timeout, size cap): that is what is tested
            self.close_connection = True
        finally:
            logged.finished = time.monotonic()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _RequestHandler)
        self.routes: dict[str, Handler] = {}
        self.requests: list[Logged] = []
        self._lock = threading.Lock()

    def record(self, logged: Logged) -> None:
        with self._lock:
            self.requests.append(logged)

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # broken connections are part of the tests


@dataclass
class TestServer:
    """The running server: its base URL and the routes of every test."""

    __test__ = False  # not a test class, whatever its name

    _server: _Server = field(default_factory=_Server)
    _prefixes: Iterator[int] = field(default_factory=count)

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def routes(self) -> Routes:
        """A fresh set of routes under a prefix of its own."""
        return Routes(self, f"/t{next(self._prefixes)}")


@dataclass
class Routes:
    """One test's routes, all under ``prefix``; :meth:`clear` removes them."""

    server: TestServer
    prefix: str

    def url(self, path: str) -> str:
        """The absolute URL of ``path`` (which starts with ``/``) under this prefix."""
        return self.server.base + self.prefix + path

    def add(self, path: str, answer: Handler | Reply | Sequence[Reply]) -> str:
        """Serve ``answer`` at ``path`` (query string included, if any); return its URL."""
        if isinstance(answer, Reply):
            answer = sequence(answer)
        elif not callable(answer):
            answer = sequence(*answer)
        self.server._server.routes[self.prefix + path] = answer
        return self.url(path)

    def log(self) -> list[Logged]:
        """The requests received under this prefix so far, in the order they arrived."""
        with self.server._server._lock:
            requests = list(self.server._server.requests)
        return [r for r in requests if r.path.startswith(self.prefix + "/")]

    def clear(self) -> None:
        for path in [p for p in self.server._server.routes if p.startswith(self.prefix + "/")]:
            del self.server._server.routes[path]
