"""The dbt project as Dagster assets: models, seeds and dbt tests (as asset checks).

The manifest is prepared by `make setup` (civcas.dbt_manifest); `dagster dev` prepares it again
whenever the code location loads, so that an edited model shows in the UI after a reload.
"""

import contextlib
import os
import time
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)

from civcas import warehouse as wh
from civcas.dbt_manifest import ensure_manifest
from civcas.inputs import (
    SEED_TESTS_PASSED,
    built_by_this_code,
    code_fingerprint,
    record_seed_tests_passed,
    seed_tests_passed,
)
from civcas.settings import VALIDATION_WARM_UP_MAX_LANDED_ROWS
from expectations.gx_adapter import import_in_background
from orchestration.defs.resources import WAREHOUSE_POOL, WarehouseResource, dbt_project
from orchestration.defs.table_metadata import table_metadata

# `civcas run` (without --verbose) sets this tag: dbt's own console lines are not echoed (they
# stay in dbt's log of the run); `dagster dev` runs keep them in the compute log.
QUIET_DBT_TAG = "civcas/quiet_dbt"
# `civcas run --full` sets this tag: everything is built again, seeds included.
FULL_BUILD_TAG = "civcas/full_build"
# dbt unit tests check the SQL, not the data: `make test` runs them
# (tests/dbt/test_dbt_unit_tests.py), production builds leave them out, as dbt advises. Nothing
# reads a build's manifest.json or run_results.json (dbt.log keeps what happened): writing them
# took 0.25 s of each build.
BUILD_ARGS = ["build", "--exclude-resource-type", "unit_test", "--no-write-json"]
NOTHING_NEW = (
    "nothing landed and the code is the one that published the warehouse: nothing to build or"
    " publish"
)
# Seeds are code: a build whose warehouse this code published already holds them, tested. Loading
# and testing them again would be 128 of dbt's 377 nodes, about a third of a build's time. Tests
# in other YAML that touch a seed, such as a mart's relationships to seeds/sources.csv, match
# `path:seeds` too, and dbt's default (eager) indirect selection would leave them out with the
# seeds' own tests: "buildable" keeps every test whose parents are all built.
SEED_TESTS = "path:seeds,resource_type:test"
KEEP_SEEDS_ARGS = [
    *("--exclude", f"resource_type:seed {SEED_TESTS}"),
    *("--indirect-selection", "buildable"),
]
# Any other build loads the seeds. Their own tests (104, in the seeds' YAML) test the seed files
# alone: once they passed for this code, they are left out (civcas.inputs.seed_tests_passed).
SKIP_SEED_TESTS_ARGS = ["--exclude", SEED_TESTS, "--indirect-selection", "buildable"]
# Incremental models (the Airwars triage) add only what new loads change to the tables this
# code built; any other build, and `civcas run --full`, rebuilds them from every landed row.
REBUILD_ARGS = ["--full-refresh"]


def build_args(
    build: Path, full: bool, code: str, seed_marker: Path = SEED_TESTS_PASSED
) -> list[str]:
    """dbt's arguments for a build in `build` by the code of digest `code`."""
    if full:
        return BUILD_ARGS + REBUILD_ARGS
    if built_by_this_code(build, code):
        return BUILD_ARGS + KEEP_SEEDS_ARGS
    if seed_tests_passed(code, seed_marker):
        return BUILD_ARGS + REBUILD_ARGS + SKIP_SEED_TESTS_ARGS
    return BUILD_ARGS + REBUILD_ARGS


def rebuilds(args: list[str]) -> bool:
    """True when dbt builds every selected model from scratch (its relations are not reused)."""
    return REBUILD_ARGS[0] in args


def warms_up_validation(build: Path) -> bool:
    """True when the run can afford to import Great Expectations while dbt builds (its memory;
    civcas.settings.VALIDATION_WARM_UP_MAX_LANDED_ROWS)."""
    return wh.landed_rows(build) < VALIDATION_WARM_UP_MAX_LANDED_ROWS


# dbt snapshots hold every published version of the reports, links and events: a rebuild never
# drops them (dbt itself never full-refreshes a snapshot).
SNAPSHOT_SCHEMA = "snapshots"


UNTRACKED_SUMMARY = "dbt tests of staging, intermediate and seeds"
# Structured data the dbt step hands to loggers beside its log lines (logging's `extra`, which
# Dagster passes on to every @logger): `civcas run` counts and prints from these, never from text.
UNTRACKED_TESTS_EXTRA = "civcas_untracked_tests"  # {status: count} of the untracked tests
PROGRESS_EXTRA = "civcas_dbt_progress"  # {"done", "total", "built", "tested"} so far
# At most one progress line per this many seconds (each is an event in the instance's log).
PROGRESS_INTERVAL_SECONDS = 5.0

# What DbtProject.prepare_if_dev() does, with the dbt installed beside this interpreter: its own
# preparer runs `dbt` from PATH, which `make dev` (or a service manager) need not provide.
if dbt_project.preparer.using_dagster_dev():
    ensure_manifest()


# dbt tests become Dagster asset checks on the tables analysts read; the tests of staging,
# intermediate models and seeds still run in every build (an error-level failure fails it, and
# the run names the test) but are not tracked one by one in Dagster: each check costs the
# instance two stored events per run, about a quarter of a run's time for ~260 tests.
CHECKED_LAYERS = frozenset({"marts", "audit"})


def is_tracked_test(manifest: Mapping[str, Any], unique_id: str) -> bool:
    test = manifest["nodes"].get(unique_id) or {}
    attached = manifest["nodes"].get(test.get("attached_node") or "") or {}
    return attached.get("config", {}).get("schema") in CHECKED_LAYERS


class CivcasTranslator(DagsterDbtTranslator):
    """Asset keys are the warehouse relations: [schema, table] (raw sources: ["raw", table])."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])
        schema = dbt_resource_props["config"].get("schema") or "main"
        relation = dbt_resource_props.get("alias") or dbt_resource_props["name"]
        return dg.AssetKey([schema, relation])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        """Groups by layer, and by source within staging and intermediate (their folders):
        `staging_airwars`, `intermediate_citations`, `marts`, `audit`, `seeds`."""
        if dbt_resource_props["resource_type"] == "source":
            return "raw"
        layer = dbt_resource_props["config"].get("schema") or "dbt"
        fqn = dbt_resource_props.get("fqn", [])
        if layer in {"staging", "intermediate"} and len(fqn) > 3:
            return f"{layer}_{fqn[2]}"
        return layer

    def get_asset_check_spec(self, asset_spec, manifest, unique_id, project):
        if not is_tracked_test(manifest, unique_id):
            return None
        return super().get_asset_check_spec(asset_spec, manifest, unique_id, project)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=CivcasTranslator(
        settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)
    ),
    pool=WAREHOUSE_POOL,
)
def civcas_dbt_assets(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
):
    quiet = context.run.tags.get(QUIET_DBT_TAG) == "true"
    build = warehouse.build
    code = code_fingerprint()
    if not warehouse.landed_this_run() and built_by_this_code(build, code):
        # Built again from the same landed rows by the same code, the build would be the
        # published warehouse: no output, so the checks, the publish and the report are skipped
        # (whatever the run asked, --full included).
        context.log.info(NOTHING_NEW)
        warehouse.discard()
        return
    events, failure = [], None
    with open(os.devnull, "w") as devnull:
        echo = contextlib.redirect_stdout(devnull) if quiet else contextlib.nullcontext()
        with echo, warehouse.dbt_pointed_at_build() as target:
            full = context.run.tags.get(FULL_BUILD_TAG) == "true"
            if not full and wh.read_back_from_lake(build):
                full = True
                context.log.info("rebuilding from raw: this build was read back from the lake")
            args = build_args(build, full, code)
            if args[len(BUILD_ARGS) :] == KEEP_SEEDS_ARGS:
                context.log.info(
                    "incremental build, seeds kept: this code published the warehouse this"
                    " build copies"
                )
            elif args[len(BUILD_ARGS) :] == REBUILD_ARGS + SKIP_SEED_TESTS_ARGS:
                context.log.info("seeds loaded; their tests left out: they passed for this code")
            if rebuilds(args):
                dropped = wh.clear_for_rebuild(
                    build,
                    (
                        tuple(key.path)
                        for key in context.selected_asset_keys
                        if key.path[0] != SNAPSHOT_SCHEMA
                    ),
                )
                context.log.info(f"rebuilding from raw: {len(dropped)} relations dropped first")
            if warms_up_validation(build):
                # The checks step runs next in this process (one_writer_executor).
                import_in_background()
                context.log.info("importing Great Expectations while dbt builds")
            invocation = dbt.cli(args, context=context, target_path=target)
            untracked = UntrackedTests(invocation.manifest)
            progress = BuildProgress(context.log)
            try:
                for raw in invocation.stream_raw_events():
                    progress.saw(raw.raw_event)
                    if untracked.counted(raw):
                        continue
                    events.extend(
                        raw.to_default_asset_events(
                            manifest=invocation.manifest,
                            dagster_dbt_translator=invocation.dagster_dbt_translator,
                            context=context,
                            target_path=target,
                            project=dbt_project,
                        )
                    )
            except Exception as error:  # a failed build: report what was built, then fail
                failure = error
    context.log.info(untracked.summary(), extra={UNTRACKED_TESTS_EXTRA: dict(untracked.outcomes)})
    rebuilt_everything = args == BUILD_ARGS + REBUILD_ARGS
    seeds_tested = rebuilt_everything and failure is None and untracked.seed_tests_clean
    if seeds_tested and not record_seed_tests_passed(code):
        context.log.warning(f"could not write {SEED_TESTS_PASSED}: the next build tests the seeds")
    yield from _with_table_metadata(context, events, build)
    if failure is not None:
        if untracked.failed:
            raise dg.Failure(
                description="dbt tests failed: " + "; ".join(untracked.failed)
            ) from failure
        raise failure


class BuildProgress:
    """Counts the nodes dbt finished and logs the count now and then, while dbt builds (the
    step's materializations and checks are reported once dbt has ended)."""

    NODE_RESULTS = {"LogModelResult": "built", "LogSeedResult": "built", "LogTestResult": "tested"}

    def __init__(self, log, interval: float = PROGRESS_INTERVAL_SECONDS) -> None:
        self.log, self.interval = log, interval
        self.counts = {"done": 0, "total": 0, "built": 0, "tested": 0}
        self._last = time.monotonic()

    def saw(self, raw_event: Mapping[str, Any]) -> None:
        kind = self.NODE_RESULTS.get(raw_event["info"]["name"])
        if kind is None:
            return
        data = raw_event["data"]
        self.counts[kind] += 1
        self.counts["done"] += 1
        self.counts["total"] = int(data.get("total") or data.get("num_models") or 0)
        now = time.monotonic()
        if now - self._last >= self.interval:
            self._last = now
            done, total = self.counts["done"], self.counts["total"]
            self.log.info(
                f"dbt: {done}/{total} nodes done", extra={PROGRESS_EXTRA: dict(self.counts)}
            )


class UntrackedTests:
    """The outcome of the dbt tests that are not asset checks (see CHECKED_LAYERS)."""

    def __init__(self, manifest: Mapping[str, Any]) -> None:
        self.outcomes: Counter[str] = Counter()
        self.failed: list[str] = []
        self.seed_outcomes: Counter[str] = Counter()
        self._manifest = manifest

    def counted(self, raw) -> bool:
        unique_id = raw.raw_event["data"].get("node_info", {}).get("unique_id", "")
        if not unique_id.startswith("test.") or is_tracked_test(self._manifest, unique_id):
            return False
        if raw.raw_event["info"]["name"] == "LogTestResult":
            status = raw.raw_event["data"]["node_info"].get("node_status", "")
            self.outcomes[status] += 1
            path = self._manifest["nodes"].get(unique_id, {}).get("original_file_path", "")
            if path.startswith("seeds/"):
                self.seed_outcomes[status] += 1
            if status in {"fail", "error"}:
                failures = raw.raw_event["data"].get("num_failures")
                outcome = f" ({failures} failing rows)" if failures else ""
                if status == "error":  # the query itself failed (out of memory, a SQL error)
                    outcome = " could not run: see dbt.log in the kept build's folder"
                self.failed.append(f"dbt test {unique_id.split('.')[2]}{outcome}")
        return True

    @property
    def seed_tests_clean(self) -> bool:
        """Every seed test ran and passed: none failed, warned or was skipped."""
        return bool(self.seed_outcomes) and set(self.seed_outcomes) == {"pass"}

    def summary(self) -> str:
        counts = ", ".join(f"{n} {status}" for status, n in sorted(self.outcomes.items()))
        return f"{UNTRACKED_SUMMARY}: {counts or 'none ran'}"


def _with_table_metadata(context: dg.AssetExecutionContext, events: list, build) -> list:
    """Row counts and column schemas of the models built, read once dbt's process has ended
    (dagster-dbt's fetch_row_counts would open the build while dbt still writes it)."""
    keys = {
        index: context.asset_key_for_output(event.output_name)
        for index, event in enumerate(events)
        if isinstance(event, dg.Output)
    }
    if not keys:
        return events
    con = wh.connect(build, read_only=True)
    try:
        metadata = table_metadata(con, sorted({tuple(key.path) for key in keys.values()}))
    finally:
        con.close()
    for index, key in keys.items():
        extra = metadata.get(tuple(key.path))
        if extra:
            events[index] = events[index].with_metadata({**events[index].metadata, **extra})
    return events
