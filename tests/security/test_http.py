"""Server-side request forgery and slow servers, beyond ``tests/test_fetch.py``.

``test_fetch.py`` covers schemes, the address table, a name resolving to loopback (mocked), a
redirect hop to a private address, DNS rebinding, sizes, per-operation timeouts and redirect
caps. Here: the other spellings of a loopback or metadata address (IPv6, decimal, octal, hex,
short forms, IPv4-mapped IPv6, userinfo tricks), ``localhost`` resolved for real, names that
resolve to private ranges (one private address among public ones is enough to refuse), the
explicit opt-in, and a body that trickles in under the per-read timeout.

Every refused case asserts that nothing reached the loopback server (or the mock transport).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from oerremix import fetch as fetch_module
from oerremix.errors import FetchError
from oerremix.fetch import Fetcher
from tests.httpserver import Reply, Routes, static


def port_of(routes: Routes) -> int:
    return int(routes.url("").split(":")[2].split("/")[0])


@pytest.mark.parametrize(
    "host",
    [
        "[::1]",  # IPv6 loopback
        "[::ffff:127.0.0.1]",  # IPv4-mapped IPv6 loopback
        "[::ffff:7f00:1]",  # the same, in hex
        "[0:0:0:0:0:ffff:127.0.0.1]",  # the same, written out
        "2130706433",  # 127.0.0.1 as one decimal number
        "0x7f000001",  # as one hex number
        "0177.0.0.1",  # octal first byte
        "0x7f.0.0.1",  # hex first byte
        "127.1",  # short form
        "127.0.0.255",  # elsewhere in 127/8
        "0",  # 0.0.0.0 reaches local services on Linux
        "0.0.0.0",  # the unspecified address
        "localhost",  # resolved for real, through the system resolver
        "LOCALHOST.",  # upper case, with the root dot
        "user@127.0.0.1",  # userinfo before the host
        "public.example@127.0.0.1",  # a public-looking name as userinfo
    ],
)
def test_loopback_spellings_refused(host: str, routes: Routes, tmp_path: Path) -> None:
    routes.add("/secret", static(b"internal"))
    url = f"http://{host}:{port_of(routes)}{routes.prefix}/secret"
    with Fetcher(cache_dir=tmp_path, retries=0) as guarded, pytest.raises(FetchError) as caught:
        guarded.fetch(url)
    # refused by the address check, or not even a valid URL to httpx (0177.0.0.1), or, with a
    # user name before the host, before any address is looked at
    reasons = ("non-public address", "cannot resolve", "invalid URL", "user name or password")
    assert any(why in str(caught.value) for why in reasons)
    assert routes.log() == []


class _Recorder:
    """A mock transport that records what reaches it (it should be nothing)."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(str(request.url))
        return httpx.Response(200, content=b"metadata: secret")


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",  # AWS, GCP and Azure metadata
        "http://[fd00:ec2::254]/latest/meta-data/",  # AWS metadata over IPv6
        "http://2852039166/latest/meta-data/",  # 169.254.169.254 as a decimal number
        "http://0xa9.0xfe.0xa9.0xfe/",  # in hex bytes
        "http://[::ffff:169.254.169.254]/",  # IPv4-mapped
        "http://100.100.100.200/",  # Alibaba Cloud metadata (shared address space)
        "http://10.0.0.1/admin",  # RFC 1918
        "http://192.168.0.1/",  # RFC 1918
        "http://[fe80::1]/",  # IPv6 link-local
        "https://[::1]/",  # https changes nothing
    ],
)
def test_private_and_metadata_addresses_refused(url: str, tmp_path: Path) -> None:
    recorder = _Recorder()
    with (
        Fetcher(cache_dir=tmp_path, retries=0, transport=httpx.MockTransport(recorder)) as guarded,
        pytest.raises(FetchError),
    ):
        guarded.fetch(url)
    assert recorder.seen == []


@pytest.mark.parametrize(
    "addresses",
    [
        ["10.1.2.3"],  # an intranet name
        ["fd12:3456::1"],  # IPv6 unique local
        ["93.184.215.14", "127.0.0.1"],  # one private answer among public ones
        ["2606:2800:21f:cb07:6820:80da:af6b:8b2c", "::1"],  # the same over IPv6
        ["169.254.169.254"],  # a name for the metadata service
    ],
)
def test_names_resolving_to_private_ranges_refused(
    addresses: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fetch_module, "_resolve", lambda host, port: addresses)
    recorder = _Recorder()
    with (
        Fetcher(cache_dir=tmp_path, retries=0, transport=httpx.MockTransport(recorder)) as guarded,
        pytest.raises(FetchError, match="non-public address"),
    ):
        guarded.fetch("http://books.example.org/book.epub")
    assert recorder.seen == []


def test_opt_in_reaches_local_servers(routes: Routes, tmp_path: Path) -> None:
    url = routes.add("/local", static(b"ok"))
    with Fetcher(cache_dir=tmp_path, allow_private=True) as local:
        assert local.fetch(url.replace("127.0.0.1", "localhost")).content == b"ok"


def test_redirect_to_decimal_loopback_refused(
    routes: Routes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = routes.add("/secret", static(b"internal"))
    decimal = secret.replace("127.0.0.1", "2130706433")
    monkeypatch.setattr(
        fetch_module,
        "_resolve",
        lambda host, port: ["93.184.215.14"] if host == "public.test" else ["127.0.0.1"],
    )

    def public_host(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": decimal})

    with (
        Fetcher(cache_dir=tmp_path, transport=httpx.MockTransport(public_host)) as guarded,
        pytest.raises(FetchError, match="non-public address"),
    ):
        guarded.fetch("http://public.test/start")
    assert routes.log() == []


def test_body_trickling_in_is_cut_by_the_total_time_cap(routes: Routes, tmp_path: Path) -> None:
    # Each byte arrives well within the per-read timeout; the whole would take 20 s.
    def trickle() -> Iterator[bytes]:
        for _ in range(100):
            time.sleep(0.2)
            yield b"x"

    url = routes.add("/slow", Reply(chunks=trickle))
    started = time.monotonic()
    with (
        Fetcher(
            cache_dir=tmp_path, allow_private=True, timeout=1.0, max_seconds=1.0, retries=0
        ) as patient,
        pytest.raises(FetchError, match="took longer than 1 seconds"),
    ):
        patient.fetch(url)
    assert time.monotonic() - started < 10  # cut off, not read to the end
