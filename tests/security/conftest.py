"""Fixtures of the security tests: a hostile book built once, and Chromium when it is there."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from oerremix.fetch import Fetcher
from oerremix.remix import build
from tests.httpserver import Reply, TestServer
from tests.security.browser import chromium
from tests.security.hostile import HostileBuild, hostile_project
from tests.security.xss_vectors import BROKEN_IMAGE


@pytest.fixture(scope="session")
def need_chromium() -> str:
    """Chromium's path; without it the browser tests skip locally and fail in CI."""
    found = chromium()
    if found is None:
        message = "Debian's chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(scope="session")
def hostile_build(
    http_server: TestServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[HostileBuild]:
    """The hostile book, built once into every format, with the beacon on the loopback server."""
    routes = http_server.routes()
    beacon = routes.url("/beacon")
    root = tmp_path_factory.mktemp("hostile")
    recipe, fields = hostile_project(root / "project", beacon)
    # Remote images (vector "img-remote", and a page's images once its <base href> points at
    # the beacon) are copied into the package by the builder: answer those, and only those.
    for field in fields:
        for name in ("img-remote", f"base-href/{BROKEN_IMAGE}", "base-href/"):
            routes.add(f"/beacon/{field}/{name}", Reply(200, b"GIF89a"))
    with Fetcher(cache_dir=root / "cache", allow_private=True, retries=0) as fetcher:
        result = build(recipe, root / "out", fetcher=fetcher)
    yield HostileBuild(root / "project", root / "out", result, routes, beacon)
    routes.clear()
