"""The UCDP and ACLED connectors against the local fake APIs: what lands, and what the run says,
under the ways real APIs misbehave. Real DuckDB; the only stand-in is the 127.0.0.1 server."""

from __future__ import annotations

import json
import time

import pytest
from fake_api.fixtures import FAST
from fake_api.server import ACLED_BEARER, ACLED_PASSWORD, UCDP_TOKEN, Fault

from ingestion import acled, ucdp
from ingestion.http import ApiAuthError, ApiError, new_session


def land_ucdp(con, tmp_path, month="2017-03", policy=FAST, messages=None):
    log = messages.append if messages is not None else (lambda _: None)
    return ucdp.land_month(con, new_session(), ucdp.config_from_env(), month, tmp_path / "pages",
                           log=log, policy=policy)  # fmt: skip


def raw_count(con, table="ucdp_ged_events") -> int:
    exists = con.execute(
        "select count(*) from information_schema.tables"
        " where table_schema = 'raw' and table_name = ?",
        [table],
    ).fetchone()[0]
    return con.execute(f"select count(*) from raw.{table}").fetchone()[0] if exists else 0


def test_a_month_lands_page_by_page_with_its_request_parameters(api_env, con, tmp_path):
    results, replaced = land_ucdp(con, tmp_path)
    assert (len(results), sum(r.rows_in for r in results), replaced) == (12, 60, 0)
    assert api_env.apis.pages_requested("ucdp") == list(range(12))
    assert con.execute(
        "select count(*), count(distinct id) from raw.ucdp_ged_events"
    ).fetchone() == (60, 60)
    params = [json.loads(row[0]) for row in con.execute(
        "select request_params from raw._loads order by source_file").fetchall()]  # fmt: skip
    assert params[7]["page"] == 7 and params[7]["StartDate"] == "2017-03-01"
    assert params[7]["EndDate"] == "2017-03-31" and params[7]["Country"] == "652,645"
    assert {p["total_count"] for p in params} == {60}
    assert all(UCDP_TOKEN not in json.dumps(p) for p in params)
    # The token went in the documented header, on every request.
    assert all(r.headers.get("x-ucdp-access-token") == UCDP_TOKEN for r in api_env.apis.requests)


def test_rerunning_a_month_replaces_its_rows_never_duplicates_them(api_env, con, tmp_path):
    land_ucdp(con, tmp_path)
    again, replaced = land_ucdp(con, tmp_path)  # same content: nothing new lands
    assert all(r.skipped for r in again) and replaced == 0
    assert raw_count(con) == 60
    api_env.apis.ucdp["25.1"][20]["deaths_civilians"] += 1  # the API now says something else
    changed, replaced = land_ucdp(con, tmp_path)
    assert not any(r.skipped for r in changed)
    assert (raw_count(con), replaced, raw_count(con, "ucdp_ged_events_replaced")) == (60, 60, 60)
    assert con.execute(
        "select count(distinct _replaced_by_fetch) from raw.ucdp_ged_events_replaced"
    ).fetchone() == (1,)
    assert con.execute("select count(*) from raw._loads").fetchone() == (
        24,
    )  # both fetches stay in the log


def test_429_with_retry_after_500_and_a_timeout_are_retried(api_env, con, tmp_path):
    apis = api_env.apis
    apis.inject(Fault("ucdp", 3, "429", retry_after="1"))
    apis.inject(Fault("ucdp", 5, "500", times=2))
    apis.inject(Fault("ucdp", 6, "timeout", delay=1.5))
    messages: list[str] = []
    started = time.monotonic()
    results, _ = land_ucdp(con, tmp_path, messages=messages)
    assert sum(r.rows_in for r in results) == 60 and raw_count(con) == 60
    assert apis.pages_requested("ucdp") == [0, 1, 2, 3, 3, 4, 5, 5, 5, 6, 6, 7, 8, 9, 10, 11]
    waits = [r.at for r in apis.requests if r.page == 3]
    assert waits[1] - waits[0] >= 1.0  # Retry-After: 1 was honoured
    assert time.monotonic() - started >= 1.0
    assert any(
        "page 4 of 12 (page=3): HTTP 429" in m and "retrying in 1.00 s" in m for m in messages
    )
    assert sum("HTTP 500" in m for m in messages) == 2
    assert any("no answer within 0.5 s" in m for m in messages)


def test_retries_are_bounded_and_a_failed_month_lands_nothing(api_env, con, tmp_path):
    api_env.apis.inject(Fault("ucdp", 2, "500", times=None))
    with pytest.raises(
        ApiError, match=r"page 3 of 12 \(page=2\): gave up after 4 attempts.*HTTP 500"
    ):
        land_ucdp(con, tmp_path)
    assert api_env.apis.pages_requested("ucdp") == [0, 1, 2, 2, 2, 2]
    assert raw_count(con) == 0 and raw_count(con, "_loads") == 0


def test_retry_after_beyond_the_total_wait_gives_up_at_once(api_env, con, tmp_path):
    api_env.apis.inject(Fault("ucdp", 0, "429", retry_after="120"))
    with pytest.raises(ApiError, match=r"waiting 120.0 s more would exceed the 5 s allowed"):
        land_ucdp(con, tmp_path)
    assert api_env.apis.pages_requested("ucdp") == [0]


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("malformed", r"page 4 of 12 \(page=3\): malformed or truncated JSON"),
        ("html", r"page 4 of 12 \(page=3\): expected a JSON page, got content type 'text/html"),
    ],
)
def test_a_bad_page_fails_the_month_with_its_page_number(api_env, con, tmp_path, kind, message):
    api_env.apis.inject(Fault("ucdp", 3, kind))
    with pytest.raises(ApiError, match=message):
        land_ucdp(con, tmp_path)
    assert raw_count(con) == 0 and raw_count(con, "_loads") == 0
    # The good pages before it are kept for the next run; the bad one is not.
    assert sorted(p.name for p in (tmp_path / "pages").rglob("page-*.json")) == [
        f"page-{n:04d}.json" for n in range(3)
    ]


def test_refused_credentials_name_the_variable_to_set(api_env, con, tmp_path, monkeypatch):
    monkeypatch.setenv("UCDP_ACCESS_TOKEN", "wrong-token")
    with pytest.raises(
        ApiAuthError, match=r"HTTP 401.*set UCDP_ACCESS_TOKEN to a valid UCDP API token"
    ):
        land_ucdp(con, tmp_path)
    assert api_env.apis.pages_requested("ucdp") == [0]  # no retry on 401
    monkeypatch.setenv("ACLED_PASSWORD", "wrong-password")
    with pytest.raises(
        ApiAuthError, match=r"acled sign-in: .*HTTP 400.*set ACLED_EMAIL and ACLED_PASSWORD"
    ):
        acled.land_month(con, new_session(), acled.config_from_env(), "2017-03", tmp_path / "pages",
                         policy=FAST)  # fmt: skip
    assert raw_count(con, "_loads") == 0


def test_an_empty_month_is_a_success_with_zero_rows(api_env, con, tmp_path):
    results, replaced = land_ucdp(con, tmp_path, month="2017-04")
    assert [(r.rows_in, r.skipped) for r in results] == [(0, False)] and replaced == 0
    assert raw_count(con) == 0
    params = json.loads(con.execute("select request_params from raw._loads").fetchone()[0])
    assert (params["total_count"], params["total_pages"], params["month"]) == (0, 0, "2017-04")


def test_an_interrupted_month_resumes_at_the_first_missing_page(api_env, con, tmp_path):
    api_env.apis.inject(Fault("ucdp", 7, "500", times=None))
    with pytest.raises(ApiError, match="page 8 of 12"):
        land_ucdp(con, tmp_path)
    api_env.apis.clear()
    messages: list[str] = []
    results, _ = land_ucdp(con, tmp_path, messages=messages)
    assert api_env.apis.pages_requested("ucdp") == [7, 8, 9, 10, 11]
    assert sum(r.rows_in for r in results) == 60 and raw_count(con) == 60
    assert any("resumed, 7 page(s) taken from the page cache" in m for m in messages)


def test_acled_signs_in_pages_until_a_short_page_and_keeps_the_newest_version(
    api_env, con, tmp_path
):
    results, replaced = acled.land_month(con, new_session(), acled.config_from_env(), "2017-03",
                                         tmp_path / "pages", policy=FAST)  # fmt: skip
    assert [r.rows_in for r in results] == [5, 5, 2] and replaced == 0
    assert api_env.apis.pages_requested("acled") == [1, 2, 3]
    reads = [r for r in api_env.apis.requests if r.source == "acled"]
    assert all(r.headers.get("Authorization") == f"Bearer {ACLED_BEARER}" for r in reads)
    assert reads[0].params["event_date"] == "2017-03-01|2017-03-31"
    assert reads[0].params["country"] == "Syria|Iraq"
    assert [r.source for r in api_env.apis.requests].count(
        "acled-auth"
    ) == 1  # one sign-in per month
    api_env.apis.acled_dataset = "revised"
    _, replaced = acled.land_month(con, new_session(), acled.config_from_env(), "2017-03",
                                   tmp_path / "pages", policy=FAST)  # fmt: skip
    assert replaced == 12
    assert con.execute(
        "select timestamp, fatalities from raw.acled_events where event_id_cnty = 'SYR2174'"
    ).fetchall() == [("1493000000", "9")]
    landed = con.execute("select request_params from raw._loads").fetchall()
    assert not any(ACLED_PASSWORD in row[0] or ACLED_BEARER in row[0] for row in landed)


def test_acled_deletions_land_once_each_asking_only_for_newer_ones(api_env, con, tmp_path):
    config = acled.config_from_env()

    def land():
        return acled.land_deletions(
            con, new_session(), config, tmp_path / "pages", log=lambda _: None, policy=FAST
        )

    results, _ = land()  # an empty feed: one empty page, landed as a load of 0 rows
    assert [r.rows_in for r in results] == [0]
    api_env.apis.acled_deletions_dataset = "withdrawn"
    results, replaced = land()  # the same scope (after 0) again: it replaces the empty fetch
    assert ([r.rows_in for r in results], replaced) == ([3], 0)
    assert con.execute(
        "select event_id_cnty, deleted_timestamp, _source_file from raw.acled_deletions"
        " order by _row_number"
    ).fetchall() == [
        ("SYR2177", "1494000000", "acled/deleted>0/page-0001"),
        ("IRQ2999", "1494000100", "acled/deleted>0/page-0001"),
        ("SYR2178", "soon", "acled/deleted>0/page-0001"),
    ]
    results, _ = land()  # nothing deleted since the newest readable time
    assert [r.rows_in for r in results] == [0]
    asked = [r.params for r in api_env.apis.requests if r.source == "acled-deleted"]
    assert [(p["deleted_timestamp"], p["deleted_timestamp_where"]) for p in asked] == [
        ("0", ">"),
        ("0", ">"),
        ("1494000100", ">"),
    ]
    assert con.execute("select count(*) from raw.acled_deletions").fetchone() == (3,)
