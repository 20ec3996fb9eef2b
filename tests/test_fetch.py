"""The fetcher against a real HTTP server on loopback (``tests/httpserver.py``).

``httpx.MockTransport`` appears only where a server on loopback cannot play the part: a host on
the public internet that redirects to a private address. Nothing here asserts on wall time:
concurrency is shown by requests overlapping in the server's log, and waits before retries by
recording what the fetcher asked to sleep.
"""

from __future__ import annotations

import gzip
import hashlib
import socket
import tracemalloc
import zlib
from collections.abc import Iterator
from pathlib import Path

import hishel
import httpx
import pytest

from oerremix import fetch as fetch_module
from oerremix.errors import FetchError
from oerremix.fetch import MAX_RETRY_AFTER, Fetched, Fetcher, default_cache_dir
from tests.httpserver import Reply, Routes, static

LAST_MODIFIED = "Wed, 01 Jan 2020 00:00:00 GMT"


@pytest.fixture
def fetcher(tmp_path: Path) -> Iterator[Fetcher]:
    with Fetcher(cache_dir=tmp_path / "cache", allow_private=True, retries=2) as f:
        yield f


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The waits the fetcher asks for between retries, recorded instead of slept."""
    asked: list[float] = []
    monkeypatch.setattr(fetch_module, "_sleep", asked.append)
    return asked


class TestFetch:
    """A plain GET: what a Fetched records."""

    def test_fields(self, fetcher: Fetcher, routes: Routes) -> None:
        url = routes.add(
            "/book.json",
            static(b'{"title": "Ohm"}', media_type="application/json; charset=utf-8", etag='"1"'),
        )
        got = fetcher.fetch(url)
        assert got.url == got.requested == url
        assert (got.status, got.content, got.media_type) == (
            200,
            b'{"title": "Ohm"}',
            "application/json",
        )
        assert got.etag == '"1"'
        assert got.last_modified is None
        assert got.sha256 == hashlib.sha256(b'{"title": "Ohm"}').hexdigest()
        assert got.from_cache is False
        assert got.retrieved.endswith("Z")

    def test_user_agent(self, fetcher: Fetcher, routes: Routes) -> None:
        fetcher.fetch(routes.add("/ua", static(b"x")))
        (request,) = routes.log()
        assert request.headers["user-agent"].startswith("oerremix/")
        assert request.headers["user-agent"].endswith("(+https://github.com/oerremix/oerremix)")

    def test_redirect_followed(self, fetcher: Fetcher, routes: Routes) -> None:
        target = routes.add("/new", static(b"moved here"))
        start = routes.add("/old", Reply(301, headers=(("Location", routes.prefix + "/new"),)))
        got = fetcher.fetch(start)
        assert (got.requested, got.url, got.content) == (start, target, b"moved here")

    def test_http_error_status(self, fetcher: Fetcher, routes: Routes) -> None:
        url = routes.url("/missing")
        with pytest.raises(FetchError, match="HTTP 404") as info:
            fetcher.fetch(url)
        assert info.value.url == url
        assert isinstance(info.value.__cause__, httpx.HTTPStatusError)

    def test_gzip_body_is_decoded(self, fetcher: Fetcher, routes: Routes) -> None:
        body = b"<p>Ohm's law</p>" * 100
        url = routes.add(
            "/page", Reply(body=gzip.compress(body), headers=(("Content-Encoding", "gzip"),))
        )
        got = fetcher.fetch(url)
        assert got.content == body
        assert got.sha256 == hashlib.sha256(body).hexdigest()

    def test_undecodable_body(self, fetcher: Fetcher, routes: Routes, sleeps: list[float]) -> None:
        url = routes.add(
            "/bad", Reply(body=b"not gzip at all", headers=(("Content-Encoding", "gzip"),))
        )
        with pytest.raises(FetchError) as info:
            fetcher.fetch(url)
        assert isinstance(info.value.__cause__, httpx.DecodingError)
        assert sleeps == []  # the same bytes would come again: not retried

    def test_json(self, fetcher: Fetcher, routes: Routes) -> None:
        assert fetcher.fetch_json(routes.add("/ok", static(b'{"a": [1]}'))) == {"a": [1]}

    def test_bad_json_names_the_url(self, fetcher: Fetcher, routes: Routes) -> None:
        url = routes.add("/bad", static(b"<html>not json</html>"))
        with pytest.raises(FetchError, match="not valid JSON") as info:
            fetcher.fetch_json(url)
        assert info.value.url == url
        assert str(info.value).endswith(f"({url})")

    def test_header_values_beyond_ascii(self, fetcher: Fetcher, routes: Routes) -> None:
        # Bytes over 0x7f are legal in a header value (obs-text); they are kept as sent.
        url = routes.add("/latin", static(b"body", media_type="t\xe9xt/html", etag='"\xe9"'))
        got = fetcher.fetch(url)
        assert (got.content, got.media_type, got.etag) == (b"body", "t\xe9xt/html", '"\xe9"')
        # hishel sends the validator back as UTF-8, so it does not match: fetched again, whole
        assert fetcher.fetch(url).content == b"body"


class TestCache:
    """The on-disk cache: a second run sends only conditional requests."""

    def test_second_run_revalidates_with_etag(self, tmp_path: Path, routes: Routes) -> None:
        url = routes.add("/toc", static(b"chapters", etag='"v1"', cache_control="no-cache"))
        with Fetcher(cache_dir=tmp_path, allow_private=True) as first:
            fresh = first.fetch(url)
        with Fetcher(cache_dir=tmp_path, allow_private=True) as second:
            again = second.fetch(url)
        first_request, second_request = routes.log()
        assert "if-none-match" not in first_request.headers
        assert second_request.headers["if-none-match"] == '"v1"'
        assert second_request.sent == 0  # the server answered 304, no body
        assert again.from_cache is True
        assert fresh.from_cache is False
        assert (again.content, again.sha256, again.etag) == (fresh.content, fresh.sha256, '"v1"')
        assert "cache-control" not in second_request.headers  # the origin sees a plain GET

    def test_second_run_revalidates_with_last_modified(
        self, tmp_path: Path, routes: Routes
    ) -> None:
        # No Cache-Control at all: a heuristic freshness lifetime would allow serving the copy
        # unasked, but the fetcher always asks.
        url = routes.add("/page", static(b"text", last_modified=LAST_MODIFIED))
        with Fetcher(cache_dir=tmp_path, allow_private=True) as first:
            first.fetch(url)
        with Fetcher(cache_dir=tmp_path, allow_private=True) as second:
            again = second.fetch(url)
        _, conditional = routes.log()
        assert conditional.headers["if-modified-since"] == LAST_MODIFIED
        assert (again.from_cache, again.content, again.last_modified) == (
            True,
            b"text",
            LAST_MODIFIED,
        )

    def test_changed_body_is_downloaded(self, fetcher: Fetcher, routes: Routes) -> None:
        url = routes.add("/doc", static(b"old", etag='"1"'))
        fetcher.fetch(url)
        routes.add("/doc", static(b"new", etag='"2"'))
        got = fetcher.fetch(url)
        assert (got.content, got.from_cache, got.etag) == (b"new", False, '"2"')

    def test_private_responses_are_kept(self, fetcher: Fetcher, routes: Routes) -> None:
        # What the MediaWiki API sends: a cache for one user may store it.
        url = routes.add(
            "/api", static(b"{}", etag='"p"', cache_control="private, must-revalidate, max-age=0")
        )
        fetcher.fetch(url)
        assert fetcher.fetch(url).from_cache is True

    def test_corrupted_entry_is_fetched_again(self, tmp_path: Path, routes: Routes) -> None:
        url = routes.add("/img", static(b"the real bytes", etag='"v1"'))
        with Fetcher(cache_dir=tmp_path, allow_private=True) as first:
            first.fetch(url)
        # Damage the stored body, keeping its headers (validators and recorded SHA-256).
        storage = hishel.SqliteStorage(database_path=tmp_path / "cache.sqlite")
        key = fetch_module._cache_key(url)
        (entry,) = storage.get_entries(key)
        storage.remove_entry(entry.id)
        damaged = hishel.Response(200, entry.response.headers, iter([b"the rotten bytes"]))
        stream = storage.create_entry(entry.request, damaged, key).response.stream
        assert isinstance(stream, Iterator)
        list(stream)  # reading the stream is what saves it
        storage.close()
        with Fetcher(cache_dir=tmp_path, allow_private=True) as second:
            got = second.fetch(url)
        assert got.content == b"the real bytes"
        assert got.from_cache is False
        _, revalidation, refetch = routes.log()
        assert revalidation.headers["if-none-match"] == '"v1"'
        assert "if-none-match" not in refetch.headers  # a plain GET, the entry was dropped

    def test_damaged_cache_file_is_replaced(self, tmp_path: Path, routes: Routes) -> None:
        url = routes.add("/page", static(b"body", etag='"1"'))
        (tmp_path / "cache.sqlite").write_bytes(b"not a database " * 100)
        with Fetcher(cache_dir=tmp_path, allow_private=True) as fetcher:
            assert fetcher.fetch(url).content == b"body"
            assert fetcher.fetch(url).from_cache is True

    def test_refused_body_is_not_stored(self, tmp_path: Path, routes: Routes) -> None:
        url = routes.add("/big", static(b"x" * 5000, etag='"big"'))
        with (
            Fetcher(cache_dir=tmp_path, allow_private=True, max_bytes=1000) as small,
            pytest.raises(FetchError),
        ):
            small.fetch(url)
        with Fetcher(cache_dir=tmp_path, allow_private=True) as large:
            assert large.fetch(url).from_cache is False
        assert all("if-none-match" not in r.headers for r in routes.log())

    def test_cache_folder(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
        assert default_cache_dir() == tmp_path / "xdg" / "oerremix" / "http"
        assert Fetcher().cache_dir == default_cache_dir()
        monkeypatch.delenv("XDG_CACHE_HOME")
        assert default_cache_dir() == Path.home() / ".cache" / "oerremix" / "http"

    def test_no_folder_until_used(self, tmp_path: Path) -> None:
        Fetcher(cache_dir=tmp_path / "later").close()
        assert not (tmp_path / "later").exists()


class TestRetries:
    """429 and 5xx are retried with backoff, honouring Retry-After; 4xx are not."""

    def test_500_then_success(self, fetcher: Fetcher, routes: Routes, sleeps: list[float]) -> None:
        url = routes.add("/flaky", [Reply(500, b"oops"), Reply(200, b"fine")])
        assert fetcher.fetch(url).content == b"fine"
        assert len(routes.log()) == 2
        assert sleeps == [0.5]

    def test_backoff_doubles_then_gives_up(
        self, fetcher: Fetcher, routes: Routes, sleeps: list[float]
    ) -> None:
        url = routes.add("/down", Reply(503, b"maintenance"))
        with pytest.raises(FetchError, match="HTTP 503"):
            fetcher.fetch(url)
        assert len(routes.log()) == 3  # the first try and two retries
        assert sleeps == [0.5, 1.0]

    def test_retry_after_seconds(
        self, fetcher: Fetcher, routes: Routes, sleeps: list[float]
    ) -> None:
        url = routes.add("/busy", [Reply(429, headers=(("Retry-After", "7"),)), Reply(200, b"ok")])
        assert fetcher.fetch(url).content == b"ok"
        assert sleeps == [7.0]

    def test_retry_after_date_is_capped(
        self, fetcher: Fetcher, routes: Routes, sleeps: list[float]
    ) -> None:
        later = "Fri, 01 Jan 2100 00:00:00 GMT"
        url = routes.add(
            "/busy", [Reply(503, headers=(("Retry-After", later),)), Reply(200, b"ok")]
        )
        fetcher.fetch(url)
        assert sleeps == [MAX_RETRY_AFTER]

    def test_retry_after_date_in_the_past(
        self, fetcher: Fetcher, routes: Routes, sleeps: list[float]
    ) -> None:
        earlier = "Thu, 01 Jan 2015 00:00:00 GMT"
        url = routes.add("/busy", [Reply(429, headers=(("Retry-After", earlier),)), Reply(200)])
        fetcher.fetch(url)
        assert sleeps == [0.0]

    def test_client_errors_are_not_retried(
        self, fetcher: Fetcher, routes: Routes, sleeps: list[float]
    ) -> None:
        url = routes.add("/gone", Reply(410, b"gone"))
        with pytest.raises(FetchError, match="HTTP 410"):
            fetcher.fetch(url)
        assert (len(routes.log()), sleeps) == (1, [])

    def test_connection_refused(self, fetcher: Fetcher, sleeps: list[float]) -> None:
        with socket.socket() as probe:  # a port nothing listens on once the probe is closed
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        with pytest.raises(FetchError) as info:
            fetcher.fetch(f"http://127.0.0.1:{port}/")
        assert isinstance(info.value.__cause__, httpx.ConnectError)
        assert sleeps == [0.5, 1.0]


class TestLimits:
    """Schemes, addresses, sizes, time and redirects."""

    def test_truncated_body(self, fetcher: Fetcher, routes: Routes, sleeps: list[float]) -> None:
        url = routes.add("/cut", Reply(body=b"only part", declared_length=1000))
        with pytest.raises(FetchError) as info:
            fetcher.fetch(url)
        assert isinstance(info.value.__cause__, httpx.RemoteProtocolError)
        assert len(routes.log()) == 3  # retried, as any broken connection is

    def test_slow_response(self, tmp_path: Path, routes: Routes) -> None:
        url = routes.add("/slow", Reply(body=b"late", delay=1.0))
        with (
            Fetcher(cache_dir=tmp_path, allow_private=True, timeout=0.2, retries=0) as impatient,
            pytest.raises(FetchError, match="timed out") as info,
        ):
            impatient.fetch(url)
        assert isinstance(info.value.__cause__, httpx.ReadTimeout)

    def test_redirect_loop(self, fetcher: Fetcher, routes: Routes) -> None:
        routes.add("/a", Reply(302, headers=(("Location", routes.prefix + "/b"),)))
        routes.add("/b", Reply(302, headers=(("Location", routes.prefix + "/a"),)))
        with pytest.raises(FetchError, match="redirect loop"):
            fetcher.fetch(routes.url("/a"))
        assert len(routes.log()) == 2

    @pytest.mark.parametrize("location", ["http://[broken/", "http://h\xf6st.invalid/"])
    def test_malformed_redirect(
        self, fetcher: Fetcher, routes: Routes, location: str, sleeps: list[float]
    ) -> None:
        url = routes.add("/jump", Reply(302, headers=(("Location", location),)))
        with pytest.raises(FetchError) as info:
            fetcher.fetch(url)
        assert url in str(info.value) or location in str(info.value)

    def test_too_many_redirects(self, tmp_path: Path, routes: Routes) -> None:
        for hop in range(4):
            routes.add(f"/{hop}", Reply(307, headers=(("Location", f"{routes.prefix}/{hop + 1}"),)))
        with (
            Fetcher(cache_dir=tmp_path, allow_private=True, max_redirects=2) as strict,
            pytest.raises(FetchError, match="more than 2 redirects"),
        ):
            strict.fetch(routes.url("/0"))
        assert len(routes.log()) == 3

    def test_oversized_declared_body(self, tmp_path: Path, routes: Routes) -> None:
        url = routes.add("/big", static(b"x" * 5000))
        with (
            Fetcher(cache_dir=tmp_path, allow_private=True, max_bytes=1000) as small,
            pytest.raises(FetchError, match="over the 1000-byte limit"),
        ):
            small.fetch(url)

    def test_oversized_body_is_cut_while_streaming(self, tmp_path: Path, routes: Routes) -> None:
        total = 32 * 2**20

        def endless() -> Iterator[bytes]:
            for _ in range(total // 2**16):
                yield b"y" * 2**16

        url = routes.add("/stream", Reply(chunks=endless))
        with (
            Fetcher(cache_dir=tmp_path, allow_private=True, max_bytes=2**16) as small,
            pytest.raises(FetchError, match="over the 65536-byte limit"),
        ):
            small.fetch(url)
        (request,) = routes.log()
        assert request.sent < total  # the server could not send it all: the client hung up

    def test_decoded_size_counts(self, tmp_path: Path, routes: Routes) -> None:
        bomb = gzip.compress(b"\0" * 2**20)  # 1 KiB on the wire, 1 MiB decoded
        url = routes.add("/bomb", Reply(body=bomb, headers=(("Content-Encoding", "gzip"),)))
        with (
            Fetcher(cache_dir=tmp_path, allow_private=True, max_bytes=2**16) as small,
            pytest.raises(FetchError, match="over the"),
        ):
            small.fetch(url)

    def test_nested_bomb_is_decoded_a_piece_at_a_time(self, tmp_path: Path, routes: Routes) -> None:
        # Under 1 KiB on the wire, 64 MiB decoded: one read must not inflate it all at once.
        bomb = gzip.compress(gzip.compress(b"\0" * 2**26, 9), 9)
        encoding = ("Content-Encoding", "gzip, gzip")
        url = routes.add("/nested", Reply(body=bomb, headers=(encoding,)))
        tracemalloc.start()
        try:
            with (
                Fetcher(cache_dir=tmp_path, allow_private=True, max_bytes=2**16) as small,
                pytest.raises(FetchError, match="over the 65536-byte limit"),
            ):
                small.fetch(url)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 8 * 2**20

    def test_deflate_with_and_without_zlib_header(self, fetcher: Fetcher, routes: Routes) -> None:
        raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        for name, body in [
            ("/zlib", zlib.compress(b"wrapped")),
            ("/raw", raw.compress(b"wrapped") + raw.flush()),
        ]:
            url = routes.add(name, Reply(body=body, headers=(("Content-Encoding", "deflate"),)))
            assert fetcher.fetch(url).content == b"wrapped"

    @pytest.mark.parametrize(
        "url",
        [
            "ftp://example.org/book.epub",  # another protocol
            "file:///etc/passwd",  # a local file
            "javascript:alert(1)",  # not a fetchable URL at all
            "/relative/path",  # no scheme
        ],
    )
    def test_scheme_refused(self, fetcher: Fetcher, url: str) -> None:
        with pytest.raises(FetchError, match="only http and https"):
            fetcher.fetch(url)

    def test_redirect_to_other_scheme_refused(self, fetcher: Fetcher, routes: Routes) -> None:
        url = routes.add("/jump", Reply(302, headers=(("Location", "file:///etc/passwd"),)))
        with pytest.raises(FetchError, match="only http and https") as info:
            fetcher.fetch(url)
        assert info.value.url == "file:///etc/passwd"

    def test_a_url_with_a_password_is_not_fetched(self, fetcher: Fetcher, routes: Routes) -> None:
        # oerremix does not log in (docs/fetching.md); httpx would send it as Basic auth, and
        # the address would reach the lock file, the logs and the credits
        url = routes.add("/book.epub", static(b"PK"))
        secret = url.replace("://", "://alice:s3cret@", 1)
        with pytest.raises(FetchError, match="user name or password") as info:
            fetcher.fetch(secret)
        assert "s3cret" not in str(info.value) and "alice" not in str(info.value)
        assert info.value.url is not None and "…@" in info.value.url
        assert routes.log() == []

    def test_a_redirect_to_a_url_with_a_password(self, fetcher: Fetcher, routes: Routes) -> None:
        target = routes.add("/private", static(b"secret"))
        url = routes.add("/jump", Reply(302, headers=(("Location", target.replace(
            "://", "://bob:hunter2@", 1)),)))  # fmt: skip
        with pytest.raises(FetchError, match="user name or password") as info:
            fetcher.fetch(url)
        assert "hunter2" not in str(info.value)
        assert [r.path.rpartition("/")[2] for r in routes.log()] == ["jump"]


class TestPrivateAddresses:
    """Without allow_private, nothing on loopback or a private network is contacted."""

    def test_loopback_refused(self, tmp_path: Path, routes: Routes) -> None:
        url = routes.add("/secret", static(b"internal"))
        with (
            Fetcher(cache_dir=tmp_path) as guarded,
            pytest.raises(FetchError, match=r"non-public address 127\.0\.0\.1"),
        ):
            guarded.fetch(url)
        assert routes.log() == []

    def test_name_resolving_to_loopback_refused(
        self, tmp_path: Path, routes: Routes, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(fetch_module, "_resolve", lambda host, port: ["127.0.0.1"])
        url = routes.add("/secret", static(b"internal")).replace("127.0.0.1", "intranet.test")
        with (
            Fetcher(cache_dir=tmp_path) as guarded,
            pytest.raises(FetchError, match=r"'intranet\.test'"),
        ):
            guarded.fetch(url)
        assert routes.log() == []

    def test_redirect_hop_to_private_refused(
        self, tmp_path: Path, routes: Routes, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # A public host cannot be run on loopback: it is played by a mock transport, which
        # redirects to the real server. The hop must be refused before anything is sent.
        secret = routes.add("/secret", static(b"internal"))
        monkeypatch.setattr(fetch_module, "_resolve", lambda host, port: ["93.184.215.14"])

        def public_host(request: httpx.Request) -> httpx.Response:
            assert request.url.host == "public.test"
            return httpx.Response(302, headers={"Location": secret})

        with (
            Fetcher(cache_dir=tmp_path, transport=httpx.MockTransport(public_host)) as guarded,
            pytest.raises(FetchError, match="non-public address") as info,
        ):
            guarded.fetch("http://public.test/start")
        assert info.value.url == secret
        assert routes.log() == []

    def test_connected_address_is_checked(
        self, tmp_path: Path, routes: Routes, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # DNS said "public", the connection went to loopback (DNS rebinding): the answer is
        # refused even though the name check passed.
        monkeypatch.setattr(fetch_module, "_resolve", lambda host, port: ["93.184.215.14"])
        url = routes.add("/secret", static(b"internal"))
        with (
            Fetcher(cache_dir=tmp_path) as guarded,
            pytest.raises(FetchError, match="connection to the non-public address"),
        ):
            guarded.fetch(url.replace("127.0.0.1", "localhost"))

    @pytest.mark.parametrize(
        ("address", "public"),
        [
            ("93.184.215.14", True),  # an ordinary public IPv4 address
            ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", True),  # an ordinary public IPv6 address
            ("127.0.0.1", False),  # loopback
            ("::1", False),  # IPv6 loopback
            ("10.0.0.1", False),  # RFC 1918 private
            ("172.16.5.4", False),  # RFC 1918 private
            ("192.168.1.1", False),  # RFC 1918 private
            ("169.254.169.254", False),  # link-local: cloud metadata services live here
            ("fe80::1", False),  # IPv6 link-local
            ("fd00::1", False),  # IPv6 unique local
            ("100.64.0.1", False),  # shared address space (carrier-grade NAT)
            ("0.0.0.0", False),  # unspecified
            ("240.0.0.1", False),  # reserved
            ("224.0.0.1", False),  # multicast
            ("::ffff:127.0.0.1", False),  # loopback mapped into IPv6
        ],
    )
    def test_address_table(self, address: str, public: bool) -> None:
        assert fetch_module._is_public(address) is public


class TestFetchMany:
    """Many URLs at once: concurrent, in order, failures in place."""

    def test_concurrent_and_in_order(self, tmp_path: Path, routes: Routes) -> None:
        urls = [routes.add(f"/slow/{i}", static(b"%d" % i, delay=0.3)) for i in range(6)]
        calls: list[tuple[int, int, str]] = []
        with Fetcher(
            cache_dir=tmp_path,
            allow_private=True,
            concurrency=6,
            progress=lambda done, total, url: calls.append((done, total, url)),
        ) as many:
            got = many.fetch_many(urls)
        assert [g.content for g in got if isinstance(g, Fetched)] == [b"%d" % i for i in range(6)]
        # When each request arrived, and when the last byte of its answer was written.
        spans = [(r.started, r.finished or float("inf")) for r in routes.log()]
        overlapping = max(
            sum(1 for start, end in spans if start < r_end and r_start < end)
            for r_start, r_end in spans
        )
        assert overlapping > 1  # requests were in flight at the same time
        assert [done for done, _, _ in calls] == [1, 2, 3, 4, 5, 6]
        assert {total for _, total, _ in calls} == {6}
        assert sorted(url for _, _, url in calls) == sorted(urls)

    def test_failure_in_its_place(self, fetcher: Fetcher, routes: Routes) -> None:
        urls = [
            routes.add("/a", static(b"a")),
            routes.url("/missing"),
            routes.add("/c", static(b"c")),
        ]
        got = fetcher.fetch_many(urls)
        assert isinstance(got[0], Fetched) and got[0].content == b"a"
        assert isinstance(got[1], FetchError) and got[1].url == urls[1]
        assert isinstance(got[2], Fetched) and got[2].content == b"c"

    def test_empty(self, fetcher: Fetcher) -> None:
        assert fetcher.fetch_many([]) == []
