"""Every registered source implements the source-module interface of its kind
(ingestion/registry.py), and every build gets every raw table of every source."""

from __future__ import annotations

import csv

import duckdb
import pytest
import yaml
from helpers import REPO

from ingestion import registry

COMMON = ("SOURCE", "RAW_TABLES", "ensure_raw_tables")
FILE_DROP = (*COMMON, "landing_files", "land")
MONTHLY_API = (*COMMON, "config_from_env", "skip_message", "land_month", "land_deletions")


@pytest.mark.parametrize(
    ("source", "interface"),
    [(source, FILE_DROP) for source in registry.FILE_DROP_SOURCES]
    + [(source, MONTHLY_API) for source in registry.MONTHLY_API_SOURCES],
    ids=lambda value: getattr(value, "SOURCE", "interface"),
)
def test_each_source_implements_the_interface_of_its_kind(source, interface):
    assert [name for name in interface if not hasattr(source, name)] == []
    assert source.__doc__ and source.__doc__.strip()


def test_the_withdrawals_feed_is_a_declared_hook_of_each_api_source():
    assert {
        source.SOURCE: source.land_deletions is not None for source in registry.MONTHLY_API_SOURCES
    } == {
        "ucdp": False,
        "acled": True,
    }


def test_a_source_missing_an_attribute_of_its_kind_is_refused_naming_line_and_field(
    tmp_path, monkeypatch
):
    seed = tmp_path / "sources.csv"
    seed.write_text("source,kind,summed,description\nucdp,file_drop,true,UCDP as a file drop\n")
    monkeypatch.setattr(registry, "SOURCES_SEED", seed)
    with pytest.raises(ValueError) as refused:
        registry._sources_by_kind()
    assert str(refused.value) == (
        f"{seed}, line 2, field kind: ingestion/ucdp.py, a file_drop source, does not define"
        " landing_files, land"
    )


def test_sources_and_raw_tables_are_named_once():
    names = [source.SOURCE for source in registry.ALL_SOURCES]
    tables = [table for source in registry.ALL_SOURCES for table in source.RAW_TABLES]
    assert names == ["airwars", "ledger", "ucdp_ged", "ibc", "decisions", "ucdp", "acled"]
    assert len(set(tables)) == len(tables)


def test_every_raw_table_of_every_source_exists_in_a_new_build():
    con = duckdb.connect()
    try:
        registry.ensure_raw_tables(con)
        registry.ensure_raw_tables(con)  # idempotent: a copied build already has them
        found = {
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables where table_schema = 'raw'"
            ).fetchall()
        }
    finally:
        con.close()
    expected = {table for source in registry.ALL_SOURCES for table in source.RAW_TABLES}
    assert expected == {
        "airwars_incidents", "airwars_incident_sources", "ledger_documents", "ledger_claims",
        "ucdp_ged_events", "ucdp_ged_events_replaced", "ucdp_ged_file_events", "acled_events",
        "acled_events_replaced", "acled_deletions", "acled_deletions_replaced", "ibc_incidents",
        "link_decisions",
    }  # fmt: skip
    assert found == expected | {"_loads", "_parse_rejects"}  # civcas's own load log


def test_the_registry_the_dbt_graph_and_the_sources_seed_name_the_same_sources():
    """One list of sources, seeds/sources.csv (what audit.loads.source and
    fct_civilian_harm_reports.source may be), read by ingestion.registry (what lands); and
    var('report_sources') in dbt_project.yml (which models the union and audit models read)."""
    project = yaml.safe_load((REPO / "dbt_project" / "dbt_project.yml").read_text())
    with (REPO / "dbt_project" / "seeds" / "sources.csv").open(newline="") as seed:
        rows = list(csv.DictReader(seed))
    seeded = {row["source"]: row["kind"] for row in rows}
    # The monitors whose incident figures the agg_ models and suites sum (claims never are).
    summed = [row["source"] for row in rows if row["summed"] == "true"]
    assert summed == ["airwars", "ucdp", "acled", "ibc"]
    registered = {source.SOURCE: "file_drop" for source in registry.FILE_DROP_SOURCES} | {
        source.SOURCE: "monthly_api" for source in registry.MONTHLY_API_SOURCES
    }
    assert seeded == registered == {
        "airwars": "file_drop", "ledger": "file_drop", "ucdp_ged": "file_drop",
        "ibc": "file_drop", "decisions": "file_drop", "ucdp": "monthly_api",
        "acled": "monthly_api",
    }  # fmt: skip
    # A source whose records are another source's reports (UCDP GED files are UCDP events) is
    # staged under that source; one whose records are not reports (decisions) under none.
    reporting = dict.fromkeys(
        getattr(source, "REPORTS_AS", source.SOURCE)
        for source in registry.ALL_SOURCES
        if getattr(source, "REPORTS_AS", source.SOURCE)
    )
    assert (
        set(project["vars"]["report_sources"])
        == set(reporting)
        == {"airwars", "ledger", "ucdp", "acled", "ibc"}
    )
    assert "ged_events" in project["vars"]["report_sources"]["ucdp"]["staged"]


KIND_COMPONENTS = {
    "file_drop": "orchestration.components.file_drop.FileDropSource",
    "monthly_api": "orchestration.components.monthly_api.MonthlyApiSource",
}


def test_each_registered_source_is_one_defs_yaml_of_its_kinds_component():
    folder = REPO / "orchestration" / "defs" / "sources"
    declared = {
        path.parent.name: yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in folder.glob("*/defs.yaml")
    }
    kinds = {source.SOURCE: "file_drop" for source in registry.FILE_DROP_SOURCES} | {
        source.SOURCE: "monthly_api" for source in registry.MONTHLY_API_SOURCES
    }
    assert declared == {
        name: {"type": KIND_COMPONENTS[kind], "attributes": {"source": name}}
        for name, kind in kinds.items()
    }


def test_a_defs_yaml_naming_an_unregistered_source_fails_naming_the_list():
    from orchestration.components.file_drop import FileDropSource

    with pytest.raises(ValueError, match=r"'ucdp' is not in ingestion/registry.py's FILE_DROP"):
        FileDropSource(source="ucdp").build_defs(None)
