"""Validate a run's build once, record the results in it, and tell whether it may be published."""

from __future__ import annotations

from dataclasses import dataclass

from civcas import warehouse as wh
from civcas.settings import Settings
from expectations.results import (
    ExpectationResult,
    failed_errors,
    format_failure,
    read_results,
    write_results,
)


@dataclass(frozen=True)
class Outcome:
    results: list[ExpectationResult]

    @property
    def errors(self) -> list[ExpectationResult]:
        return failed_errors(self.results)

    @property
    def warnings(self) -> list[ExpectationResult]:
        return [r for r in self.results if r.severity == "warn" and not r.success]

    @property
    def error_messages(self) -> list[str]:
        return [format_failure(result) for result in self.errors]


def recorded_results(settings: Settings, run_id: str) -> list[ExpectationResult]:
    con = wh.connect(wh.ensure_build(settings, run_id), read_only=True)
    try:
        exists = con.execute(
            "select count(*) from information_schema.tables"
            " where table_schema = 'audit' and table_name = 'validation_results'"
        ).fetchone()[0]
        if not exists:
            return []
        return read_results(con, run_id)
    finally:
        con.close()


def ensure_validated(settings: Settings, run_id: str) -> Outcome:
    """Run every suite against this run's build unless this run already did."""
    from expectations.runner import run_suites
    from expectations.suites import load_suites

    recorded = recorded_results(settings, run_id)
    if recorded:
        return Outcome(recorded)
    path = wh.ensure_build(settings, run_id)
    results = run_suites(path, load_suites(), run_id, settings.data_docs_dir)
    con = wh.connect(path)
    try:
        write_results(con, results)
    finally:
        con.close()
    return Outcome(results)
