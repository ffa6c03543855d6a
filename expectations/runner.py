"""Run expectation suites against a DuckDB warehouse file and record the outcome.

Each suite's columns are read from a read-only DuckDB connection into a pandas DataFrame and
validated by Great Expectations' pandas engine (see docs/validation.md for why not GX's SQL
engine). One suite's DataFrame is held at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from expectations.frames import connect_read_only, read_frame
from expectations.results import (
    ExpectationResult,
    failed_errors,
    format_failure,
    write_results,
)
from expectations.suites import Suite, load_suites

__all__ = [
    "ExpectationResult",
    "Suite",
    "failed_errors",
    "format_failure",
    "load_suites",
    "run_suites",
    "write_results",
]


def run_suites(
    db_path: str | Path,
    suites: Sequence[Suite],
    run_id: str,
    data_docs_dir: Path | None = None,
) -> list[ExpectationResult]:
    """Validate every suite against the database at db_path, opened read-only.

    A suite whose table or query cannot be read yields a failed result for each of its
    expectations rather than an exception, so one broken suite does not hide the others.
    """
    from expectations.gx_adapter import SuiteValidator, summarise

    checked_at = datetime.now(UTC).replace(tzinfo=None)
    validator = SuiteValidator(Path(data_docs_dir) if data_docs_dir is not None else None)
    results: list[ExpectationResult] = []

    def result(
        suite: Suite,
        index: int,
        success: bool,
        count: int | None,
        observed: str | None,
        first_failing: str | None = None,
    ) -> ExpectationResult:
        spec = suite.expectations[index]
        return ExpectationResult(
            run_id=run_id,
            checked_at=checked_at,
            suite=suite.name,
            expectation=spec.name,
            table_name=suite.table_name,
            severity=spec.severity,
            success=success,
            unexpected_count=count,
            observed_value=observed,
            first_failing=first_failing,
        )

    with closing(connect_read_only(db_path)) as con:
        for suite in suites:
            try:
                frame = read_frame(con, suite)
            except duckdb.Error as exc:
                message = f"error: cannot read {suite.table_name}: {exc}".splitlines()[0]
                results.extend(
                    result(suite, i, False, None, message[:200])
                    for i in range(len(suite.expectations))
                )
                continue
            outcome = validator.validate(suite, frame, run_id, checked_at)
            del frame
            by_name = {r.expectation_config.meta["name"]: r for r in outcome.results}
            for i, spec in enumerate(suite.expectations):
                gx_result = by_name.get(spec.name)
                if gx_result is None:
                    results.append(result(suite, i, False, None, "error: GX returned no result"))
                else:
                    results.append(result(suite, i, *summarise(gx_result, suite.identify)))
    validator.build_data_docs()
    return results
