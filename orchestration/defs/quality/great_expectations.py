"""Great Expectations suites as Dagster asset checks: one check per declared expectation.

Error-level checks are blocking: when one fails, the published warehouse is not replaced. The
suites are read when the definitions load, not when this module is imported.
"""

import dagster as dg

from expectations.results import describe_records
from orchestration.defs.resources import WAREHOUSE_POOL, WarehouseResource


def check_name(suite: str, expectation: str) -> str:
    return f"gx__{suite}__{expectation}"


def _asset_key(table_name: str) -> dg.AssetKey:
    return dg.AssetKey(table_name.split("."))


def great_expectations_checks() -> dg.AssetChecksDefinition:
    from expectations.suites import load_suites

    specs = [
        dg.AssetCheckSpec(
            name=check_name(suite.name, spec.name),
            asset=_asset_key(suite.table_name),
            blocking=spec.severity == "error",
            description=f"[{spec.severity}] {spec.description or spec.type}",
            metadata={
                "suite": suite.name,
                "severity": spec.severity,
                "expectation_type": spec.type,
            },
        )
        for suite in load_suites()
        for spec in suite.expectations
    ]

    @dg.multi_asset_check(
        specs=specs,
        name="great_expectations",
        can_subset=True,
        pool=WAREHOUSE_POOL,
        description="Runs the expectation suites of expectations/suites/ against this run's build.",
    )
    def checks(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
        outcome = warehouse.validate()
        selected = {key.name for key in context.selected_asset_check_keys}
        for result in outcome.results:
            name = check_name(result.suite, result.expectation)
            if name not in selected:
                continue
            yield dg.AssetCheckResult(
                asset_key=_asset_key(result.table_name),
                check_name=name,
                passed=bool(result.success),
                severity=(
                    dg.AssetCheckSeverity.ERROR
                    if result.severity == "error"
                    else dg.AssetCheckSeverity.WARN
                ),
                metadata={
                    "unexpected_count": result.unexpected_count
                    if result.unexpected_count is not None
                    else -1,
                    "observed_value": str(result.observed_value),
                    # the records to look at first: file and line for a ledger claim
                    "first_failing": describe_records(result.first_failing),
                },
            )

    return checks


@dg.definitions
def quality() -> dg.Definitions:
    return dg.Definitions(asset_checks=[great_expectations_checks()])
