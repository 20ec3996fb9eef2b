"""Shared fixtures: the loopback HTTP server, started once per test session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.httpserver import Routes, TestServer


@pytest.fixture(scope="session")
def http_server() -> Iterator[TestServer]:
    """A real HTTP server on 127.0.0.1, running for the whole session."""
    server = TestServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def routes(http_server: TestServer) -> Iterator[Routes]:
    """This test's routes on the loopback server, under a path prefix of their own."""
    mine = http_server.routes()
    yield mine
    mine.clear()
