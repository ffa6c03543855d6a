"""Hooks and fixtures of every folder: isolated warehouses and landing folders, and the bundled
build a session shares (made once, read by many). Each folder's own fixtures are in its
conftest.py; what test modules import is in helpers.py."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import SAMPLE_LANDING, CivcasEnv, isolate, shared_build


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Tests read the Dagster asset graph from dbt's manifest: refresh it if the project changed
    since `make setup` (once, before any pytest-xdist worker starts)."""
    from civcas.dbt_manifest import ensure_manifest

    if not hasattr(session.config, "workerinput"):
        ensure_manifest()


# The tests of a module with a module-scoped build run on one pytest-xdist worker (`make test`
# runs four, `--dist loadgroup`): the module's build is then made once. The marks must be there
# before xdist reads them: tryfirst (tests/unit/test_xdist_groups_upstream.py). Session builds are
# shared between workers on disk instead (shared_build).
#
# Then the tests that make the most full runs (`@pytest.mark.full_runs(n)`) go first, a group
# with its longest test, so that no long test starts last while the other workers idle
# (`make test` keeps this order: --no-loadscope-reorder).
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = item._fixtureinfo.name2fixturedefs.values()
        if any(defs[-1].scope == "module" for defs in fixtures):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))
    runs: dict[str, int] = {}
    for item in items:
        runs[_group(item)] = max(runs.get(_group(item), 0), _full_runs(item))
    items.sort(key=lambda item: -runs[_group(item)])  # stable: otherwise as collected


def _group(item: pytest.Item) -> str:
    marker = item.get_closest_marker("xdist_group")
    return marker.args[0] if marker else item.nodeid


def _full_runs(item: pytest.Item) -> int:
    marker = item.get_closest_marker("full_runs")
    return marker.args[0] if marker else 0


@pytest.fixture
def civcas_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CivcasEnv:
    """An empty landing folder and an unpublished warehouse, both private to the test."""
    landing = tmp_path / "landing"
    landing.mkdir()
    return isolate(monkeypatch, landing, tmp_path / "warehouse" / "civcas.duckdb")


@pytest.fixture(scope="session")
def bundled_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[CivcasEnv, object]]:
    """One real run of the whole graph on a copy of the bundled sample data, kept in its Dagster
    instance as `civcas run` keeps it (tests read its materializations and logs there)."""
    yield from shared_build(
        tmp_path_factory,
        "bundled",
        lambda landing: shutil.copytree(SAMPLE_LANDING, landing),
        run_history="keep",
    )
