"""pytest fixtures of the API tests: the fake APIs, and an isolated civcas with credentials."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from fake_api.server import ACLED_EMAIL, ACLED_PASSWORD, UCDP_TOKEN, FakeApis
from ingestion.http import RetryPolicy

# Small retries and waits, so that the failure tests take seconds.
FAST = RetryPolicy(
    max_attempts=4, backoff_base=0.01, backoff_max=0.05, max_total_wait=5, timeout=0.5
)


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A build file of the test's own."""
    connection = duckdb.connect(str(tmp_path / "build.duckdb"))
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def fake_apis() -> Iterator[FakeApis]:
    apis = FakeApis().start()
    yield apis
    apis.stop()


@dataclass
class ApiEnv:
    apis: FakeApis


def point_at(monkeypatch: pytest.MonkeyPatch, apis: FakeApis, *, credentials: bool = True) -> None:
    """Environment of a civcas that talks to the fake APIs, with small pages and fast retries."""
    monkeypatch.setenv("CIVCAS_UCDP_BASE_URL", apis.ucdp_base_url)
    monkeypatch.setenv("CIVCAS_ACLED_BASE_URL", apis.acled_base_url)
    monkeypatch.setenv("CIVCAS_UCDP_PAGE_SIZE", "5")
    monkeypatch.setenv("CIVCAS_ACLED_PAGE_SIZE", "5")
    monkeypatch.setenv("CIVCAS_UCDP_VERSION", "25.1")
    monkeypatch.setenv("CIVCAS_HTTP_BACKOFF_BASE", "0.01")
    monkeypatch.setenv("CIVCAS_HTTP_BACKOFF_MAX", "0.05")
    monkeypatch.setenv("CIVCAS_HTTP_MAX_ATTEMPTS", "4")
    monkeypatch.setenv("CIVCAS_HTTP_MAX_WAIT", "5")
    monkeypatch.setenv("CIVCAS_HTTP_TIMEOUT", "0.5")
    for name in ("ACLED_USERNAME", "ACLED_ACCESS_TOKEN", "ACLED_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    if credentials:
        monkeypatch.setenv("UCDP_ACCESS_TOKEN", UCDP_TOKEN)
        monkeypatch.setenv("ACLED_EMAIL", ACLED_EMAIL)
        monkeypatch.setenv("ACLED_PASSWORD", ACLED_PASSWORD)
    else:
        for name in ("UCDP_ACCESS_TOKEN", "ACLED_EMAIL", "ACLED_PASSWORD"):
            monkeypatch.delenv(name, raising=False)


@pytest.fixture
def api_env(fake_apis: FakeApis, monkeypatch: pytest.MonkeyPatch) -> Iterator[ApiEnv]:
    """Credentials set, base URLs pointing at the fake APIs; recordings reset after the test."""
    import copy

    point_at(monkeypatch, fake_apis)
    fake_apis.clear()
    saved_ucdp = copy.deepcopy(fake_apis.ucdp)
    fake_apis.acled_dataset = "original"
    fake_apis.acled_deletions_dataset = "none"
    yield ApiEnv(fake_apis)
    fake_apis.clear()
    fake_apis.ucdp = saved_ucdp
    fake_apis.acled_dataset = "original"
    fake_apis.acled_deletions_dataset = "none"
