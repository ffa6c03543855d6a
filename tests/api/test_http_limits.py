"""HTTP limits against hostile or broken servers: credentials never reach
another host, every request is bounded in time, bytes and pages, a dropped body is retried, and
no error text carries a secret."""

from __future__ import annotations

import dataclasses
import time

import pytest
from fake_api.fixtures import FAST
from fake_api.server import ACLED_PASSWORD, UCDP_TOKEN, Fault

from ingestion import acled, ucdp
from ingestion.http import ApiAuthError, ApiError, new_session, scrub


def land_ucdp(con, tmp_path, policy=FAST, log=None):
    log = log or (lambda _: None)
    return ucdp.land_month(con, new_session(), ucdp.config_from_env(), "2017-03",
                           tmp_path / "pages", log=log, policy=policy)  # fmt: skip


def land_acled(con, tmp_path, policy=FAST):
    return acled.land_month(con, new_session(), acled.config_from_env(), "2017-03",
                            tmp_path / "pages", log=lambda _: None, policy=policy)  # fmt: skip


def requests_to_localhost(apis) -> list:
    return [r for r in apis.requests if r.headers.get("Host", "").startswith("localhost")]


def test_a_cross_host_redirect_never_receives_the_token(api_env, con, tmp_path):
    api_env.apis.inject(Fault("ucdp", 0, "redirect", status=302))
    with pytest.raises(ApiError) as raised:
        land_ucdp(con, tmp_path)
    base = api_env.apis.base
    port = base.rsplit(":", 1)[1]
    assert str(raised.value) == (
        f"ucdp 25.1 2017-03 page 1 (page=0): {base} answered HTTP 302 redirecting to another"
        f" host, http://localhost:{port}; civcas sends credentials and request bodies to no other"
        " host, so nothing was fetched there. Set the API's base URL to the host that serves it"
    )
    assert requests_to_localhost(api_env.apis) == []


def test_a_307_on_the_acled_sign_in_never_reposts_the_password(api_env, con, tmp_path):
    api_env.apis.inject(Fault("acled-auth", None, "redirect", status=307))
    with pytest.raises(ApiError, match=r"^acled sign-in: .* answered HTTP 307 redirecting to"):
        land_acled(con, tmp_path)
    assert requests_to_localhost(api_env.apis) == []
    assert [r.params.get("password") for r in api_env.apis.requests] == [ACLED_PASSWORD]


def test_a_dripping_server_is_cut_at_the_whole_attempt_deadline(api_env, con, tmp_path):
    api_env.apis.inject(Fault("ucdp", 0, "drip", times=None, delay=0.05))
    policy = dataclasses.replace(FAST, max_attempts=2, deadline=1.0)
    started = time.monotonic()
    with pytest.raises(ApiError, match=r"gave up after 2 attempts.*did not arrive within 1 s"):
        land_ucdp(con, tmp_path, policy=policy)
    assert time.monotonic() - started < 4  # 2 attempts of 1 s, not minutes of dripping


def test_a_page_beyond_the_size_cap_is_refused_while_streaming(api_env, con, tmp_path):
    api_env.apis.inject(Fault("ucdp", 0, "huge", size=20 << 20))
    policy = dataclasses.replace(FAST, max_page_bytes=100_000, timeout=5)
    with pytest.raises(ApiError, match=r"page is larger than the 100,000 bytes allowed"):
        land_ucdp(con, tmp_path, policy=policy)


def test_a_declared_oversize_page_is_refused_before_reading(api_env, con, tmp_path):
    api_env.apis.inject(Fault("ucdp", 0, "huge_declared", size=600_000_000))
    with pytest.raises(ApiError, match=r"declares 600,000,000 bytes, more than the 67,108,864"):
        land_ucdp(con, tmp_path)


def test_a_lying_total_pages_stops_after_the_first_page(api_env, con, tmp_path):
    api_env.apis.inject(Fault("ucdp", 0, "lying_pages"))
    with pytest.raises(
        ApiError, match=r"page 1: TotalPages says 1000000 but TotalCount 60 at 5 per page makes 12"
    ):
        land_ucdp(con, tmp_path)
    assert api_env.apis.pages_requested("ucdp") == [0]


def test_the_page_count_is_capped(api_env, con, tmp_path):
    with pytest.raises(ApiError, match=r"12 pages is more than the 3 allowed"):
        land_ucdp(con, tmp_path, policy=dataclasses.replace(FAST, max_pages=3))


def test_an_acled_server_ignoring_page_is_detected_at_the_second_page(api_env, con, tmp_path):
    api_env.apis.inject(Fault("acled", None, "ignore_page", times=None))
    with pytest.raises(ApiError, match=r"acled 2017-03 page 2: 5 of its events were on an earlier"):
        land_acled(con, tmp_path)
    assert api_env.apis.pages_requested("acled") == [1, 2]


def test_a_connection_dropped_mid_body_is_retried(api_env, con, tmp_path):
    api_env.apis.inject(Fault("ucdp", 3, "truncate"))
    messages: list[str] = []
    results, _ = land_ucdp(con, tmp_path, log=messages.append)
    assert sum(result.rows_in for result in results) == 60
    assert api_env.apis.pages_requested("ucdp") == [0, 1, 2, 3, 3, *range(4, 12)]
    assert messages[0].startswith(
        "ucdp 25.1 2017-03 page 4 of 12 (page=3): the connection dropped mid-body after"
    )


def test_a_body_dropped_every_time_gives_up_naming_the_page(api_env, con, tmp_path):
    api_env.apis.inject(Fault("ucdp", 3, "truncate", times=None))
    with pytest.raises(
        ApiError, match=r"page 4 of 12 \(page=3\): gave up after 4 attempts.*dropped mid-body"
    ):
        land_ucdp(con, tmp_path)


def test_a_token_with_a_newline_never_appears_in_the_error(api_env, con, tmp_path, monkeypatch):
    token = "first-half-SECRET\nsecond-half-SECRET"
    monkeypatch.setenv("UCDP_ACCESS_TOKEN", token)
    with pytest.raises(ApiAuthError) as raised:
        land_ucdp(con, tmp_path)
    message = str(raised.value)
    assert "SECRET" not in message
    assert message.startswith(
        "ucdp 25.1 2017-03 page 1 (page=0): the credential sent in header x-ucdp-access-token"
        " holds a line break"
    )
    assert raised.value.__context__ is None or raised.value.__suppress_context__
    assert api_env.apis.requests == []


def test_scrub_hides_secrets_lines_and_bearer_tokens():
    text = f"bad header 'a-SECRET-1\nb-SECRET-2' and Bearer tok-SECRET-3; {UCDP_TOKEN}"
    assert scrub(text, ["a-SECRET-1\nb-SECRET-2", "Bearer tok-SECRET-3", UCDP_TOKEN]) == (
        "bad header '[secret]' and [secret]; [secret]"
    )
