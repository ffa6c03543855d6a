"""Validate a run's build once, record the results in it, and tell whether it may be published."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from civcas import warehouse as wh
from expectations.results import ExpectationResult, failed_errors, format_failure, write_results


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


def validate(build: Path, run_id: str, data_docs_dir: Path) -> Outcome:
    """Run every suite against the build, and record the results in its audit.validation_results
    (for analysts: the publish step reads the outcome returned, never the table)."""
    from expectations.runner import run_suites
    from expectations.suites import load_suites

    results = run_suites(build, load_suites(), run_id, data_docs_dir)
    con = wh.connect(build)
    try:
        write_results(con, results)
    finally:
        con.close()
    return Outcome(results)
