"""Fixtures of the integration tests: the one-incident build a session shares (tests run again on
their own copy), and a browser for the page checks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from helpers import CHROMIUM, CivcasEnv, copy_env, incident, shared_build, write_incidents

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@pytest.fixture(scope="session")
def one_incident(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[CivcasEnv, object]]:
    """A first run that publishes one valid incident (tests run again on their own copy)."""
    yield from shared_build(
        tmp_path_factory,
        "one_incident",
        lambda landing: write_incidents(landing, "incidents_2020.csv", [incident()]),
    )


@pytest.fixture
def one_incident_copy(one_incident, tmp_path, monkeypatch) -> CivcasEnv:
    env, first = one_incident
    assert first.success, first.lines()
    return copy_env(env, tmp_path / "copy", monkeypatch)


@pytest.fixture(scope="module")
def browser(bundled_build) -> Iterator[Browser]:
    """Debian's Chromium, started once for a module's page checks, each in a context of its own
    (its own cookies, storage and viewport). Closed with the module: Playwright's sync API holds
    an event loop of its own, which no other test of the worker should meet. The pages read the
    bundled build, made before the browser starts: made while it ran, its run published no
    report (cause not found)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield chromium
        chromium.close()
