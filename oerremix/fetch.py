"""Fetching over HTTP: the only module of oerremix that talks to the network.

A :class:`Fetcher` holds one pooled :class:`httpx.Client` and an on-disk HTTP cache, and applies
the same limits to every request:

- only ``http`` and ``https`` URLs, on every redirect hop too;
- hosts that resolve to loopback, private, link-local or reserved addresses are refused (the
  address actually connected to is checked again), unless ``allow_private=True``;
- a time limit per network operation and one for a whole response (``max_seconds``, so a body
  that trickles in a byte at a time cannot hold a build for hours), a cap on the size of a body,
  enforced while it streams in, and a cap on redirects (a loop is reported as one);
- retries with exponential backoff on connection errors, 429 and 5xx, honouring ``Retry-After``.

The cache is hishel's RFC 9111 cache (SQLite, in ``$XDG_CACHE_HOME/oerremix/http`` by default).
Every request asks the origin whether the stored copy is still current (``If-None-Match``,
``If-Modified-Since``): a second run downloads no unchanged body, yet never uses a copy the
server has not confirmed. Each stored body carries its SHA-256; a corrupted entry is dropped
and fetched again.

>>> Fetcher(cache_dir=Path("unused")).fetch("ftp://example.org/book.epub")
Traceback (most recent call last):
  ...
oerremix.errors.FetchError: only http and https URLs can be fetched, not 'ftp' (ftp://example.org/...)
"""

from __future__ import annotations

import email.utils
import hashlib
import ipaddress
import os
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urljoin, urlsplit

import hishel
import httpx
from hishel.httpx import CacheTransport

from oerremix._credentials import hidden_credentials
from oerremix._json_input import load_json
from oerremix.errors import FetchError

__all__ = ["MAX_RETRY_AFTER", "Fetched", "Fetcher", "default_cache_dir"]

MAX_RETRY_AFTER = 60.0
"""The longest wait, in seconds, that a server's ``Retry-After`` can impose before a retry."""

_MAX_BACKOFF = 30.0
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_SHA256_HEADER = "x-oerremix-sha256"  # stored with each cached body, checked when it is served
_PIECE = 2**16  # the most one step of decoding may produce: a compression bomb stays small
_sleep = time.sleep  # replaced in tests that check how long a retry waits


@dataclass(frozen=True, slots=True)
class Fetched:
    """One fetched URL."""

    url: str
    """The final URL, after redirects."""
    requested: str
    """The URL asked for."""
    status: int
    """The HTTP status of the final response (a revalidated copy has the stored status)."""
    content: bytes
    """The body, decoded from any content encoding."""
    media_type: str | None
    """The ``Content-Type`` without its parameters, lower-cased, or None."""
    etag: str | None
    """The ``ETag`` validator, or None."""
    last_modified: str | None
    """The ``Last-Modified`` validator, or None."""
    sha256: str
    """SHA-256 of ``content``, as 64 lower-case hex digits."""
    retrieved: str
    """When the body was fetched or confirmed current, ISO 8601 UTC (``2026-01-31T12:00:00Z``)."""
    from_cache: bool
    """True when the body came from the on-disk cache (the server answered 304 Not Modified)."""


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/oerremix/http``, or ``~/.cache/oerremix/http`` when that is unset."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "oerremix" / "http"


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _cache_key(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


class _Refused(Exception):
    """A request refused by policy (scheme, address, size): never retried."""


def _resolve(host: str, port: int) -> list[str]:
    """The IP addresses ``host`` resolves to (the one place oerremix asks DNS)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def _is_public(address: str) -> bool:
    """Whether an IP address is a public, unicast one (not loopback, private, reserved …)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _inflate(chunks: Iterable[bytes], wbits: int) -> Iterator[bytes]:
    """Decompress a gzip or deflate stream at most ``_PIECE`` bytes at a time.

    ``deflate`` should carry a zlib header, yet some servers send raw deflate: as httpx does,
    a first chunk that is not zlib is read again as raw deflate.
    """
    decompressor = zlib.decompressobj(wbits)
    first = True
    for chunk in chunks:
        rest = chunk
        while rest:
            try:
                piece = decompressor.decompress(rest, _PIECE)
            except zlib.error as exc:
                if not (first and wbits == zlib.MAX_WBITS):
                    raise httpx.DecodingError(f"cannot decode the body: {exc}") from exc
                decompressor = zlib.decompressobj(-zlib.MAX_WBITS)
                first = False
                continue
            first = False
            yield piece
            rest = decompressor.unconsumed_tail
    yield decompressor.flush()


def _decoded(chunks: Iterable[bytes], content_encoding: str) -> Iterable[bytes]:
    """A body undone from its ``Content-Encoding`` (the last one applied first), piece by piece.

    httpx would inflate each chunk read from the network whole: a few hundred bytes of gzip
    inside gzip are hundreds of MiB. Unknown codings are left as they are, as httpx does.
    """
    for coding in reversed(content_encoding.lower().split(",")):
        if coding.strip() in ("gzip", "x-gzip"):
            chunks = _inflate(chunks, zlib.MAX_WBITS | 16)
        elif coding.strip() == "deflate":
            chunks = _inflate(chunks, zlib.MAX_WBITS)
    return chunks


class _Guard(httpx.BaseTransport):
    """Below the cache, on the wire: the address check, the size cap and the body's checksum.

    The body is read here, chunk by chunk, so an oversized one is cut off as soon as it passes
    the cap and nothing of it is stored. What goes up to the cache is the decoded body with its
    SHA-256 in a header, which is stored with it.
    """

    def __init__(
        self,
        inner: httpx.BaseTransport,
        *,
        allow_private: bool,
        max_bytes: int,
        max_seconds: float = float("inf"),
    ) -> None:
        self._inner = inner
        self._allow_private = allow_private
        self._max_bytes = max_bytes
        self._max_seconds = max_seconds

    def _check_host(self, request: httpx.Request) -> None:
        host = request.url.host
        port = request.url.port or (443 if request.url.scheme == "https" else 80)
        try:
            addresses = [str(ipaddress.ip_address(host))]
        except ValueError:
            try:
                addresses = _resolve(host, port)
            except (OSError, UnicodeError) as exc:
                raise httpx.ConnectError(f"cannot resolve host {host!r}", request=request) from exc
        for address in addresses:
            if not _is_public(address):
                raise _Refused(
                    f"refusing {host!r}: it resolves to the non-public address {address}"
                    " (pass allow_private=True to allow it)"
                )

    def _check_peer(self, response: httpx.Response) -> None:
        stream = response.extensions.get("network_stream")
        peer = stream.get_extra_info("server_addr") if stream is not None else None
        if peer and not _is_public(str(peer[0])):
            raise _Refused(f"refusing a connection to the non-public address {peer[0]}")

    def close(self) -> None:
        self._inner.close()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.scheme not in ("http", "https"):
            raise _Refused(f"only http and https URLs can be fetched, not {request.url.scheme!r}")
        if not self._allow_private:
            self._check_host(request)
        # "no-cache" tells the local cache to revalidate; the origin and any CDN on the way
        # only see the conditional request, which they may answer from their own caches.
        request.headers.pop("cache-control", None)
        started = time.monotonic()
        response = self._inner.handle_request(request)
        digest = hashlib.sha256()
        chunks: list[bytes] = []
        size = 0
        try:
            if not self._allow_private:
                self._check_peer(response)
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self._max_bytes:
                raise _Refused(f"body of {declared} bytes is over the {self._max_bytes}-byte limit")
            encoding = response.headers.get("content-encoding", "")
            if response.is_stream_consumed:  # built in memory by a mock transport: decoded
                pieces: Iterable[bytes] = [response.content]
            else:
                pieces = _decoded(response.iter_raw(), encoding)
            for chunk in pieces:
                size += len(chunk)
                if size > self._max_bytes:
                    raise _Refused(f"body is over the {self._max_bytes}-byte limit")
                if time.monotonic() - started > self._max_seconds:  # a body that trickles in
                    raise _Refused(f"took longer than {self._max_seconds:g} seconds in all")
                digest.update(chunk)
                chunks.append(chunk)
        finally:
            response.close()
        # As bytes: a value may hold any byte over 0x7f, which httpx would not encode again.
        if response.status_code == 304:  # its headers update the stored ones: add nothing
            dropped = {b"transfer-encoding", _SHA256_HEADER.encode()}
            headers = [(k, v) for k, v in response.headers.raw if k.lower() not in dropped]
        else:
            dropped = {b"content-encoding", b"content-length", b"transfer-encoding"}
            dropped.add(_SHA256_HEADER.encode())
            headers = [(k, v) for k, v in response.headers.raw if k.lower() not in dropped]
            headers += [
                (b"content-length", str(size).encode()),
                (_SHA256_HEADER.encode(), digest.hexdigest().encode()),
            ]
        extensions = {
            key: value
            for key, value in response.extensions.items()
            if key in {"http_version", "reason_phrase"}
        }
        return httpx.Response(
            response.status_code, headers=headers, content=b"".join(chunks), extensions=extensions
        )


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    wait = (when - datetime.now(UTC)).total_seconds()
    return min(max(wait, 0.0), MAX_RETRY_AFTER)


def _backoff(attempt: int) -> float:
    return float(min(0.5 * 2**attempt, _MAX_BACKOFF))


def _describe(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({type(exc).__name__})"
    return str(exc) or type(exc).__name__


class Fetcher:
    """Fetches URLs with one pooled client, an on-disk cache and the limits described above.

    ``progress(done, total, url)`` is called by :meth:`fetch_many` as each URL completes.
    ``transport`` replaces the network (tests use :class:`httpx.MockTransport`). Close the
    fetcher when done, or use it as a context manager.
    """

    def __init__(
        self,
        *,
        cache_dir: Path | None = None,
        allow_private: bool = False,
        timeout: float = 20.0,
        max_seconds: float = 300.0,
        max_bytes: int = 50 * 2**20,
        max_redirects: int = 5,
        retries: int = 3,
        concurrency: int = 16,
        transport: httpx.BaseTransport | None = None,
        progress: Callable[[int, int, str], None] | None = None,
    ) -> None:
        from oerremix import __version__

        self.cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        self.allow_private = allow_private
        self.max_bytes = max_bytes
        self.max_seconds = max_seconds
        self.max_redirects = max_redirects
        self.retries = retries
        self.concurrency = max(1, concurrency)
        self.progress = progress
        self.user_agent = f"oerremix/{__version__} (+https://github.com/oerremix/oerremix)"
        self._storage: hishel.SqliteStorage | None = None
        self._client: httpx.Client | None = None
        self._timeout = timeout
        self._transport = transport
        self._lock = threading.Lock()

    def _get_client(self) -> tuple[httpx.Client, hishel.SqliteStorage]:
        # Built on first use, so a Fetcher that never fetches creates no cache folder.
        with self._lock:
            return self._client_locked()

    def _client_locked(self) -> tuple[httpx.Client, hishel.SqliteStorage]:
        if self._client is None or self._storage is None:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            database = self.cache_dir / "cache.sqlite"
            if database.is_file():
                with database.open("rb") as head:
                    damaged = head.read(16) not in (b"", b"SQLite format 3\0")
                if damaged:  # hishel would skip the cache silently on every request
                    database.unlink()
            self._storage = hishel.SqliteStorage(database_path=database)
            wire = self._transport or httpx.HTTPTransport(
                limits=httpx.Limits(max_connections=2 * self.concurrency)
            )
            guard = _Guard(
                wire,
                allow_private=self.allow_private,
                max_bytes=self.max_bytes,
                max_seconds=self.max_seconds,
            )
            cache = CacheTransport(
                guard, storage=self._storage, rfc=hishel.CacheOptions(shared=False)
            )
            self._client = httpx.Client(
                transport=cache,
                timeout=self._timeout,
                follow_redirects=False,
                # only what _decoded undoes, whatever decoders httpx could find installed
                headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"},
            )
        return self._client, self._storage

    def close(self) -> None:
        """Close the connection pool and the cache."""
        if self._client is not None:
            self._client.close()
        if self._storage is not None:
            self._storage.close()
        self._client = self._storage = None

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _send(self, url: str) -> httpx.Response:
        """GET one URL (no redirects followed), retrying what is worth retrying."""
        client, _ = self._get_client()
        attempt = 0
        while True:
            try:
                response = client.get(
                    url,
                    headers={"Cache-Control": "no-cache"},
                    extensions={"caching": {"key": _cache_key(url)}},
                )
            except _Refused as exc:
                raise FetchError(str(exc), url=url) from exc
            except httpx.InvalidURL as exc:
                raise FetchError(f"invalid URL: {exc}", url=url) from exc
            except httpx.TransportError as exc:
                if attempt >= self.retries or isinstance(exc, httpx.UnsupportedProtocol):
                    raise FetchError(_describe(exc), url=url) from exc
                delay = _backoff(attempt)
            except httpx.HTTPError as exc:  # a body that cannot be decoded, and the like
                raise FetchError(_describe(exc), url=url) from exc
            else:
                if response.status_code not in _RETRY_STATUSES or attempt >= self.retries:
                    return response
                wait = _retry_after(response)
                delay = _backoff(attempt) if wait is None else wait
            _sleep(delay)
            attempt += 1

    def _verified(self, url: str, response: httpx.Response) -> bool:
        """Whether a body is the one stored; a corrupted cache entry is dropped."""
        digest = response.headers.get(_SHA256_HEADER)
        if digest == hashlib.sha256(response.content).hexdigest():
            return True
        _, storage = self._get_client()
        for entry in storage.get_entries(_cache_key(url)):
            storage.remove_entry(entry.id)
        return False

    def fetch(self, url: str) -> Fetched:
        """GET ``url``, following redirects; raise :class:`~oerremix.errors.FetchError` on failure.

        An HTTP error status (4xx, or 5xx after the retries) is a failure too.
        """
        current = url
        seen = {url}
        for _ in range(self.max_redirects + 1):
            if (shown := hidden_credentials(current)) is not None:
                raise FetchError(
                    "a URL with a user name or password is not fetched: oerremix does not log "
                    "in, and the address would be written into lock files and credits",
                    url=shown,
                )
            scheme = urlsplit(current).scheme.lower()
            if scheme not in ("http", "https"):
                raise FetchError(
                    f"only http and https URLs can be fetched, not {scheme or 'a relative URL'!r}",
                    url=current,
                )
            response = self._send(current)
            status = response.extensions.get("caching", {})
            if status.get("from_cache") and not self._verified(current, response):
                response = self._send(current)  # the corrupted entry is gone: a plain GET
                status = response.extensions.get("caching", {})
            location = response.headers.get("location")
            if response.status_code in _REDIRECT_STATUSES and location:
                try:
                    target = urljoin(current, location)
                except ValueError as exc:  # an unclosed IPv6 bracket, and the like
                    raise FetchError(f"bad redirect to {location!r}: {exc}", url=current) from exc
                if target in seen:
                    raise FetchError(f"redirect loop: {target} was already visited", url=url)
                seen.add(target)
                current = target
                continue
            try:
                response.raise_for_status()
            except httpx.HTTPStatusError as exc:
                raise FetchError(
                    f"HTTP {response.status_code} {response.reason_phrase}".rstrip(), url=current
                ) from exc
            content_type = response.headers.get("content-type")
            media_type = content_type.split(";", 1)[0].strip().lower() if content_type else None
            return Fetched(
                url=current,
                requested=url,
                status=response.status_code,
                content=response.content,
                media_type=media_type or None,
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
                sha256=hashlib.sha256(response.content).hexdigest(),
                retrieved=_now(),
                from_cache=bool(status.get("from_cache")),
            )
        raise FetchError(f"more than {self.max_redirects} redirects", url=url)

    def fetch_json(self, url: str) -> Any:
        """GET ``url`` and parse its body as JSON; bad JSON is a FetchError naming the URL."""
        fetched = self.fetch(url)
        try:
            return load_json(fetched.content)
        except (ValueError, RecursionError) as exc:
            raise FetchError(f"not valid JSON: {exc}", url=fetched.url) from exc

    def _fetch_or_error(self, url: str) -> Fetched | FetchError:
        try:
            return self.fetch(url)
        except FetchError as exc:
            return exc

    def fetch_many(self, urls: Sequence[str]) -> list[Fetched | FetchError]:
        """Fetch ``urls`` concurrently (``concurrency`` at a time), in the order given.

        A URL that fails gives its :class:`~oerremix.errors.FetchError` in its place instead of
        stopping the others.
        """
        results: list[Fetched | FetchError | None] = [None] * len(urls)
        if not urls:
            return []
        with ThreadPoolExecutor(max_workers=min(self.concurrency, len(urls))) as pool:
            futures = {pool.submit(self._fetch_or_error, url): i for i, url in enumerate(urls)}
            for done, future in enumerate(as_completed(futures), start=1):
                index = futures[future]
                results[index] = future.result()
                if self.progress is not None:
                    self.progress(done, len(urls), urls[index])
        return [result for result in results if result is not None]
