"""Data-quality expectations for the civcas warehouse: suites declared in YAML, validated with
Great Expectations, results appended to audit.validation_results.

Importing this package does not import great_expectations; run_suites does, on first use.
"""

from expectations.results import ExpectationResult, failed_errors, format_failure, write_results
from expectations.runner import run_suites
from expectations.suites import ExpectationSpec, Suite, load_suites

__all__ = [
    "ExpectationResult",
    "ExpectationSpec",
    "Suite",
    "failed_errors",
    "format_failure",
    "load_suites",
    "run_suites",
    "write_results",
]
