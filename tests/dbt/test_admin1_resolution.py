"""Admin-1 resolution end to end: crafted Airwars incidents are landed by the real landing code,
real dbt builds int_report_admin1 into a throwaway DuckDB file, and each case's admin1_code,
admin1_method and coordinates_outside_country are checked."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from helpers import REPO

from ingestion import airwars, ledger, registry

DBT_PROJECT = REPO / "dbt_project"
DBT = Path(sys.executable).with_name("dbt")

AMBIGUOUS = "coordinates_text_ambiguous"
CONTRADICTED = "coordinates_text_contradicted"

# airwars_id: (governorate, region, latitude, longitude) -> expected (code, method, outside)
CASES = {
    # typo, point inside the named governorate (Aleppo city)
    "9001": (("Aleppoo", "", "36.2021", "37.1343"), ("SY-HL", "text_and_coordinates", False)),
    # variant spelling, no coordinates
    "9002": (("Deir Ezzor", "", "", ""), ("SY-DY", "text", False)),
    # two places at once; the point (Idlib city) picks one of them
    "9003": (("Hama or Idlib", "", "35.9306", "36.6339"), ("SY-ID", AMBIGUOUS, False)),
    # no text at all: the point decides (Raqqa city)
    "9004": (("", "", "35.9528", "39.0079"), ("SY-RA", "coordinates", False)),
    # point in Turkey (Gaziantep) for a Syrian report: flagged, the text decides
    "9005": (("Aleppo", "", "37.0662", "37.3833"), ("SY-HL", "text", True)),
    # a number in the governorate column and no coordinates: nothing to go on
    "9006": (("36.38472222", "", "", ""), (None, "unresolved", False)),
    # a number in the governorate column, a point in Al-Hasakah city
    "9007": (("36.38472222", "", "36.5024", "40.7477"), ("SY-HA", "coordinates", False)),
    # the text names Aleppo, the point is clearly in Raqqa city: the point wins
    "9008": (("Aleppo", "Aleppo", "35.9528", "39.0079"), ("SY-RA", CONTRADICTED, False)),
    # "Rural Damascus" is Rif Dimashq, not Damascus
    "9009": (("Rural Damascus", "", "", ""), ("SY-RD", "text", False)),
    # qualifiers ignored; region column used when the governorate column is empty
    "9010": (("", "eastern Hama governorate", "", ""), ("SY-HM", "text", False)),
    # a town standing for its governorate
    "9011": (("", "Ma'arat al-Numan", "", ""), ("SY-ID", "text", False)),
    # a place outside Syria, no coordinates
    "9012": (("", "Hattai", "", ""), (None, "unresolved", False)),
    # coordinates at sea off Latakia
    "9013": (("Latakia", "", "35.5", "35.3"), ("SY-LA", "text", True)),
    # governorate and region disagree, no coordinates: ambiguous, unresolved
    "9014": (("Aleppo", "Idlib", "", ""), (None, "unresolved", False)),
}


def write_incidents(folder: Path) -> None:
    header = (REPO / "sample_data/landing/airwars/incidents.csv").open(encoding="utf-8").readline()
    columns = next(csv.reader([header]))
    assert tuple(columns) == airwars.INCIDENT_COLUMNS
    with (folder / "incidents.csv").open("w", newline="", encoding="utf-8") as f:
        out = csv.DictWriter(f, fieldnames=columns)
        out.writeheader()
        for airwars_id, ((governorate, region, lat, lon), _) in CASES.items():
            out.writerow(
                {
                    **dict.fromkeys(columns, ""),
                    "incident_code": f"TEST{airwars_id}",
                    "airwars_id": airwars_id,
                    "incident_date": "2017-05-01",
                    "date_type": "date",
                    "country": "Syria",
                    "governorate": governorate,
                    "region": region,
                    "location": f"test place {airwars_id}",
                    "latitude": lat,
                    "longitude": lon,
                    "belligerents": "US-led Coalition",
                    "strike_status": "Declared strike",
                    "grading": "Fair",
                    "civilians_killed_min": "1",
                    "civilians_killed_max": "2",
                    "url": f"https://airwars.org/civilian-casualties/test{airwars_id}/",
                }
            )
    citations = ",".join(airwars.CITATION_COLUMNS)
    (folder / "incident_sources.csv").write_text(
        f"{citations}\nTEST9001,1,Some outlet,Twitter (English),2017-05-01,https://example.org/1,\n",
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def resolved(tmp_path_factory) -> dict[str, tuple]:
    tmp = tmp_path_factory.mktemp("admin1")
    landing = tmp / "landing"
    (landing / "airwars").mkdir(parents=True)
    write_incidents(landing / "airwars")
    db = tmp / "build.duckdb"
    con = duckdb.connect(str(db))
    airwars.land(con, landing)
    # the other sources' raw tables, empty: int_reports_unioned unions every source
    ledger.land(con, landing)
    registry.ensure_raw_tables(con)
    con.close()
    result = subprocess.run(
        [
            *(str(DBT), "build", "--select", "+int_report_admin1", "--profiles-dir", "."),
            # cautious: leave out tests of other seeds that need models not built here
            *("--indirect-selection", "cautious"),
            *("--target-path", str(tmp / "target"), "--log-path", str(tmp / "logs")),
        ],
        cwd=DBT_PROJECT,
        env={**os.environ, "CIVCAS_BUILD_DB": str(db)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(
        "select report_id, admin1_code, admin1_method, coordinates_outside_country "
        "from intermediate.int_report_admin1"
    ).fetchall()
    con.close()
    return {report_id.removeprefix("airwars:"): tuple(rest) for report_id, *rest in rows}


@pytest.mark.full_runs(1)
def test_one_row_per_report(resolved):
    assert set(resolved) == set(CASES)


@pytest.mark.parametrize("airwars_id", sorted(CASES))
def test_each_report_resolves_to_its_expected_admin1(resolved, airwars_id):
    (governorate, region, *_), expected = CASES[airwars_id]
    assert resolved[airwars_id] == expected, (governorate, region)
