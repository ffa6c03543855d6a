"""Iraq Body Count as a file-drop source, on the format fixture tests/fixtures/ibc/ (invented
rows in IBC's export format: notes above the header, `28 Feb 2017` dates, a code used twice,
minima above maxima, incidents of several days). IBC's data is copyrighted: none is bundled."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from helpers import IRAQ_GED_FILE, REPO, SAMPLE_LANDING, isolate

from ingestion import ibc
from ingestion.landing import LandingError

FIXTURE = REPO / "tests" / "fixtures" / "ibc" / "ibc-incidents-2017.csv"
WEST_MOSUL_CLAIM = "ledger:un-human-rights-office-2017-03-28-mosul/western-mosul-offensive"


def test_the_export_lands_without_its_notes(tmp_path):
    (tmp_path / "ibc").mkdir()
    shutil.copy(FIXTURE, tmp_path / "ibc" / FIXTURE.name)
    con = duckdb.connect()
    [result] = ibc.land(con, tmp_path)
    assert result.rows_in == 45  # 4 lines of notes and the header are not records
    assert con.execute(
        'select "IBC code", "Start Date", "Reported Minimum", _row_number from raw.ibc_incidents'
        " where _row_number in (1, 45) order by _row_number"
    ).fetchall() == [("k7001", "17 Feb 2017", "4", 1), ("k7044", "10 Apr 2017", None, 45)]


def test_an_export_without_the_header_fails_naming_it(tmp_path):
    (tmp_path / "ibc").mkdir()
    (tmp_path / "ibc" / "ibc-incidents-x.csv").write_text("notes\ncode,date\nk1,1 Mar 2017\n")
    with pytest.raises(LandingError, match="ibc-incidents-x.csv: no header line starting with"):
        ibc.land(duckdb.connect(), tmp_path)


@pytest.fixture(scope="module")
def with_ibc(tmp_path_factory):
    """One run on the fixture dropped in `ibc/` beside what its reports are linked and compared
    with: the bundled ledger (the UN's west Mosul claim) and UCDP GED's Iraq file."""
    root = tmp_path_factory.mktemp("ibc")
    landing = root / "landing"
    (landing / "ibc").mkdir(parents=True)
    shutil.copy(FIXTURE, landing / "ibc" / FIXTURE.name)
    shutil.copytree(SAMPLE_LANDING / "ledger", landing / "ledger")
    (landing / "ucdp_ged").mkdir()
    shutil.copy(IRAQ_GED_FILE, landing / "ucdp_ged" / IRAQ_GED_FILE.name)
    with pytest.MonkeyPatch.context() as monkeypatch:
        env = isolate(monkeypatch, landing, root / "warehouse" / "civcas.duckdb")
        report = env.run()
        assert report.published, report.lines()
        yield env


@pytest.mark.full_runs(1)
def test_every_record_is_accounted_for(with_ibc):
    assert with_ibc.query(
        "select rows_in, rows_accepted, rows_rejected from audit.loads where source = 'ibc'"
    ) == [(45, 41, 4)]
    assert with_ibc.query(
        "select count(*) from marts.fct_civilian_harm_reports where source = 'ibc'"
    ) == [(41,)]
    assert with_ibc.query(
        "select row_number, reason from audit.rejected_records where source = 'ibc' order by 1"
    ) == [
        (42, "IBC code k7042 appears 2 times in this export"),
        (43, "IBC code k7042 appears 2 times in this export"),
        (44, "Start Date '31 Feb 2017' is not a date (like 28 Feb 2017)"),
        (45, "no Reported Minimum and no Reported Maximum: cannot be counted"),
    ]


@pytest.mark.full_runs(1)
def test_reports_read_dates_ranges_places_and_weapons(with_ibc):
    rows = with_ibc.query(
        "select report_id, event_date::varchar, event_date_end::varchar, civilians_killed_min,"
        " civilians_killed_max, admin1_code from marts.fct_civilian_harm_reports"
        " where report_id in ('ibc:k7003', 'ibc:k7015', 'ibc:k7031') order by 1"
    )
    assert rows == [
        ("ibc:k7003", "2017-02-21", None, 3, 5, "IQ-BG"),
        ("ibc:k7015", "2017-03-07", None, 4, 6, "IQ-NI"),  # written 6 to 4
        ("ibc:k7031", "2017-03-23", "2017-03-26", 30, 42, "IQ-NI"),  # four days
    ]
    assert with_ibc.query(
        "select report_id, list(belligerent_id order by belligerent_id)"
        " from marts.bridge_report_belligerents"
        " where report_id in ('ibc:k7001', 'ibc:k7003') group by 1 order by 1"
    ) == [("ibc:k7001", ["us_led_coalition"]), ("ibc:k7003", ["unknown"])]
    assert with_ibc.query(
        "select report_id, area_id from marts.bridge_report_areas"
        " where is_finest and report_id in ('ibc:k7001', 'ibc:k7030', 'ibc:k7031') order by 1"
    ) == [("ibc:k7001", "al_jadida"), ("ibc:k7030", "sukkar"), ("ibc:k7031", "west_mosul")]


@pytest.mark.full_runs(1)
def test_ibc_links_and_compares(with_ibc):
    # Al Qaim, 24 February 2017: IBC's 8-10 and UCDP's 9 at "Al Qā'im town".
    assert with_ibc.query(
        "select report_id_a, report_id_b, decided_by from marts.fct_report_links"
        " where report_id_a = 'ibc:k7005'"
    ) == [("ibc:k7005", "ucdp:249055", "rule")]
    sums = with_ibc.query(
        "select reports_counted, civilians_killed_min_sum, civilians_killed_max_sum"
        " from marts.fct_period_comparisons"
        " where claim_report_id = ? and compared_source = 'ibc'",
        [WEST_MOSUL_CLAIM],
    )
    # The fixture's west Mosul incidents from 15 February to 28 March 2017 (east Mosul's and
    # the ones placed only in Mosul left out).
    west = [
        "k7001", "k7004", "k7007", "k7008", "k7011", "k7013", "k7015", "k7017", "k7019",
        "k7022", "k7024", "k7025", "k7027", "k7029", "k7031", "k7032", "k7035",
    ]  # fmt: skip
    expected = with_ibc.query(
        "select count(*), sum(civilians_killed_min), sum(civilians_killed_max)"
        " from marts.fct_civilian_harm_reports where report_id in (select unnest(?))",
        [[f"ibc:{code}" for code in west]],
    )
    assert sums == expected == [(17, 118, 150)]
