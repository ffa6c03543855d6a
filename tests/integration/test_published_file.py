"""The published file stands on its own: every view and table in it can be queried (views were
once bound to the build file's catalog name), and a publish leaves no build files behind."""

from __future__ import annotations

import duckdb


def test_every_view_and_table_of_the_published_file_can_be_queried(bundled_build):
    env, report = bundled_build
    assert report.published, report.lines()
    con = duckdb.connect(str(env.warehouse), read_only=True)
    try:
        relations = con.execute(
            "select table_schema, table_name, table_type from information_schema.tables"
            " where table_catalog = current_database() order by all"
        ).fetchall()
        failures = {}
        for schema, name, _ in relations:
            try:
                con.execute(f'select count(*) from "{schema}"."{name}"').fetchone()
            except duckdb.Error as error:
                failures[f"{schema}.{name}"] = str(error).splitlines()[0]
    finally:
        con.close()
    kinds = {kind for _, _, kind in relations}
    assert kinds == {"BASE TABLE", "VIEW"}
    assert ("staging", "stg_airwars__incidents", "VIEW") in relations
    assert failures == {}


def test_a_publish_removes_the_run_folder_with_its_dbt_target(bundled_build):
    env, report = bundled_build
    builds = env.warehouse.parent / ".builds"
    assert not (builds / report.run_id).exists()
    assert [path.name for path in builds.iterdir() if not path.name.startswith(".")] == []
