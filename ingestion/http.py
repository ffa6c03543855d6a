"""Shared HTTP mechanics of the API sources: one `requests.Session` per run, one attempt at a page
retried by tenacity (exponential backoff with full jitter, or `Retry-After`), clear errors, and
the on-disk page cache that lets an interrupted month resume where it stopped.

Retried: HTTP 429 (waiting what `Retry-After` says when it says it), 5xx, timeouts, connections
dropped (also mid-body) and attempts past the whole-attempt deadline. Redirects are followed only
within the same scheme, host and port. Bounded: a page's bytes, an attempt's seconds (a server
dripping bytes cannot hold a run), a month's pages. Not retried: 401/403 (wrong or missing
credentials: the message names the variable to set), other 4xx, and bodies that are not the JSON
page the API documents (wrong content type, malformed or truncated JSON): those fail the month
with the page number, landing nothing.

Secrets never leave this module: they travel in headers only (ACLED's sign-in: the form body), and
no message, log line, cached file or landed row contains one (`scrub`).
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import os
import random
import re
import shutil
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus, urljoin, urlsplit

import requests
import tenacity
import urllib3

from ingestion.landing import LandingError

USER_AGENT = "civcas (civilian-casualty warehouse; https://github.com/) python-requests"
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})


class ApiError(LandingError):
    """The month cannot be fetched; nothing of it was landed."""


class ApiAuthError(ApiError):
    """The API refused the credentials (HTTP 401/403)."""


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try, and how much to accept. Every figure can be set from the environment
    (tests keep them small)."""

    max_attempts: int = 6  # CIVCAS_HTTP_MAX_ATTEMPTS, per request
    backoff_base: float = 1.0  # CIVCAS_HTTP_BACKOFF_BASE: first wait in seconds, doubled each time
    backoff_max: float = 60.0  # CIVCAS_HTTP_BACKOFF_MAX: no single wait is longer
    max_total_wait: float = 300.0  # CIVCAS_HTTP_MAX_WAIT: total seconds of waiting per request
    timeout: float = 60.0  # CIVCAS_HTTP_TIMEOUT: seconds to connect and between bytes
    deadline: float = 300.0  # CIVCAS_HTTP_DEADLINE: seconds for one whole attempt, body included
    max_page_bytes: int = 64 << 20  # CIVCAS_HTTP_MAX_PAGE_BYTES: a larger page is refused
    max_pages: int = 1000  # CIVCAS_API_MAX_PAGES: pages of one month, at most

    @classmethod
    def from_env(cls) -> RetryPolicy:
        def number(name: str, default: float) -> float:
            text = os.environ.get(name, "").strip()
            return float(text) if text else default

        return cls(
            max_attempts=int(number("CIVCAS_HTTP_MAX_ATTEMPTS", cls.max_attempts)),
            backoff_base=number("CIVCAS_HTTP_BACKOFF_BASE", cls.backoff_base),
            backoff_max=number("CIVCAS_HTTP_BACKOFF_MAX", cls.backoff_max),
            max_total_wait=number("CIVCAS_HTTP_MAX_WAIT", cls.max_total_wait),
            timeout=number("CIVCAS_HTTP_TIMEOUT", cls.timeout),
            deadline=number("CIVCAS_HTTP_DEADLINE", cls.deadline),
            max_page_bytes=int(number("CIVCAS_HTTP_MAX_PAGE_BYTES", cls.max_page_bytes)),
            max_pages=int(number("CIVCAS_API_MAX_PAGES", cls.max_pages)),
        )

    def backoff(self, attempt: int) -> float:
        """Full jitter: a random wait between 0 and base * 2^(attempt-1), capped."""
        return random.uniform(0, min(self.backoff_max, self.backoff_base * 2 ** (attempt - 1)))


def new_session() -> requests.Session:
    session = requests.Session()
    session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
    return session


def retry_after_seconds(value: str | None) -> float | None:
    """`Retry-After` is either a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


@dataclass(frozen=True)
class Page:
    url: str  # without credentials
    body: bytes
    document: Any  # the parsed JSON


MAX_REDIRECTS = 5
READ_CHUNK_BYTES = 1 << 16


class _Retryable(Exception):
    """One attempt failed in a way worth another try; the message says how, and `retry_after`
    how long the server asked to wait (HTTP 429), when it did."""

    def __init__(self, problem: str, retry_after: float | None = None) -> None:
        super().__init__(problem)
        self.retry_after = retry_after


def scrub(text: str, secrets: Sequence[str]) -> str:
    """`text` with every secret, each line of it and its last word (the token of "Bearer <token>")
    replaced by [secret], also where a server echoes them encoded: percent-encoded (either case
    of hex digits, `+` or `%20` for a space) or escaped in JSON."""
    parts = {
        part
        for secret in secrets
        for part in (secret, *secret.splitlines(), *secret.split()[-1:])
        if len(part) >= 4
    }
    forms = {form for part in parts for form in _encoded_forms(part)}
    for form in sorted(forms, key=len, reverse=True):
        text = re.sub(re.escape(form), "[secret]", text, flags=re.IGNORECASE if "%" in form else 0)
    return text


def _encoded_forms(part: str) -> set[str]:
    return {
        part,
        quote(part, safe=""),
        quote_plus(part, safe=""),
        quote(part),
        json.dumps(part)[1:-1],
    }


def _origin(url: str) -> str:
    parsed = urlsplit(url)
    return f"{parsed.scheme}://{parsed.netloc.rsplit('@', 1)[-1]}"


def _check_header_values(headers: Mapping[str, str], what: str, credentials_hint: str) -> None:
    for name, value in headers.items():
        if value != value.strip() or any(ord(char) < 32 or ord(char) == 127 for char in value):
            raise ApiAuthError(
                f"{what}: the credential sent in header {name} holds a line break, a control"
                f" character or surrounding spaces; {credentials_hint}"
            )


def _send(
    session: requests.Session,
    method: str,
    url: str,
    *,
    params: Mapping[str, str] | None,
    form: Mapping[str, str] | None,
    headers: Mapping[str, str],
    timeout: tuple[float, float],
    what: str,
) -> requests.Response:
    """One request, following redirects only within the same scheme, host and port: credentials
    (headers) and bodies never reach another host."""
    for _ in range(MAX_REDIRECTS + 1):
        response = session.request(
            method, url, params=params, data=form, headers=headers, timeout=timeout,
            allow_redirects=False, stream=True,
        )  # fmt: skip
        if not response.is_redirect:
            return response
        target = urljoin(response.url, response.headers["Location"])
        response.close()
        if _origin(target) != _origin(response.url):
            raise ApiError(
                f"{what}: {_origin(response.url)} answered HTTP {response.status_code} redirecting"
                f" to another host, {_origin(target)}; civcas sends credentials and request bodies"
                " to no other host, so nothing was fetched there. Set the API's base URL to the"
                " host that serves it"
            )
        url, params = target, None  # the Location carries its own query
        if response.status_code == 303 or (response.status_code in (301, 302) and method == "POST"):
            method, form = "GET", None
    raise ApiError(f"{what}: more than {MAX_REDIRECTS} redirects")


def _read_body(response: requests.Response, policy: RetryPolicy, deadline: float, what: str):
    """The body, read in chunks under the page size cap and the attempt's deadline."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > policy.max_page_bytes:
        raise ApiError(
            f"{what}: the page declares {int(declared):,} bytes, more than the"
            f" {policy.max_page_bytes:,} allowed (CIVCAS_HTTP_MAX_PAGE_BYTES)"
        )
    chunks, size = [], 0

    def past_deadline() -> _Retryable:
        return _Retryable(
            f"the page did not arrive within {policy.deadline:g} s (CIVCAS_HTTP_DEADLINE;"
            f" {size:,} bytes by then)"
        )

    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise past_deadline()
        connection = response.raw.connection
        if connection is not None and connection.sock is not None:
            connection.sock.settimeout(min(policy.timeout, remaining))
        try:
            chunk = response.raw.read1(READ_CHUNK_BYTES, decode_content=True)
        except (urllib3.exceptions.HTTPError, OSError) as error:
            if time.monotonic() >= deadline:
                raise past_deadline() from None
            if isinstance(error, urllib3.exceptions.ReadTimeoutError | TimeoutError):
                raise _Retryable(
                    f"no bytes for {policy.timeout:g} s after {size:,} bytes of the page"
                ) from None
            raise _Retryable(
                f"the connection dropped mid-body after {size:,} bytes ({type(error).__name__})"
            ) from None
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > policy.max_page_bytes:
            raise ApiError(
                f"{what}: the page is larger than the {policy.max_page_bytes:,} bytes allowed"
                " (CIVCAS_HTTP_MAX_PAGE_BYTES); nothing of this month was landed"
            )
        chunks.append(chunk)


def get_json_page(
    session: requests.Session,
    url: str,
    *,
    params: Mapping[str, str],
    headers: Mapping[str, str],
    what: str,
    credentials_hint: str,
    policy: RetryPolicy,
    log: Callable[[str], None],
    sleep: Callable[[float], None] = time.sleep,
    method: str = "GET",
    form: Mapping[str, str] | None = None,
    refused_status: tuple[int, ...] = (401, 403),
    secrets: Sequence[str] = (),
) -> Page:
    """GET one page of JSON, retrying what is worth retrying.

    `what` names the page in messages ("ucdp 2017-03 page 8"); `credentials_hint` says which
    variables to set when the API answers 401/403. Header values and `secrets` never appear in a
    message: every error text is scrubbed of them.
    """
    hidden = [*headers.values(), *secrets]
    call = _Call(
        session, method, url, params, form, headers, what, credentials_hint, refused_status
    )
    try:
        _check_header_values(headers, what, credentials_hint)
        return _get_json_page(call, policy, lambda line: log(scrub(line, hidden)), sleep)
    except ApiError as error:
        raise type(error)(scrub(str(error), hidden)) from None
    except (requests.RequestException, ValueError) as error:
        raise ApiError(scrub(f"{what}: the request failed: {error}", hidden)) from None


@dataclass(frozen=True)
class _Call:
    session: requests.Session
    method: str
    url: str
    params: Mapping[str, str]
    form: Mapping[str, str] | None
    headers: Mapping[str, str]
    what: str
    credentials_hint: str
    refused_status: tuple[int, ...]


def _get_json_page(
    call: _Call,
    policy: RetryPolicy,
    log: Callable[[str], None],
    sleep: Callable[[float], None],
) -> Page:
    """`_attempt` retried by tenacity while it raises `_Retryable`, within the policy's attempts
    and total wait; any other error ends the request at once."""
    waits = _Waits(policy)

    def give_up(state: tenacity.RetryCallState) -> Page:
        problem = state.outcome.exception()
        if waits.over_budget:
            raise ApiError(
                f"{call.what}: gave up after {state.attempt_number} attempts: {problem};"
                f" waiting {waits.next:.1f} s more would exceed the {policy.max_total_wait:g} s"
                " allowed (CIVCAS_HTTP_MAX_WAIT)"
            )
        raise ApiError(
            f"{call.what}: gave up after {policy.max_attempts} attempts"
            f" (CIVCAS_HTTP_MAX_ATTEMPTS): {problem}"
        )

    def before_sleep(state: tenacity.RetryCallState) -> None:
        log(
            f"{call.what}: {state.outcome.exception()}; attempt {state.attempt_number} of"
            f" {policy.max_attempts}, retrying in {state.next_action.sleep:.2f} s"
        )

    retrying = tenacity.Retrying(
        retry=tenacity.retry_if_exception_type(_Retryable),
        stop=waits.stop,
        wait=waits.wait,
        sleep=sleep,
        before_sleep=before_sleep,
        retry_error_callback=give_up,
    )
    return retrying(_attempt, call, policy)


class _Waits:
    """The wait before the next attempt (the server's `Retry-After`, else full-jitter backoff),
    and when to stop: the attempts are spent, or that wait (tenacity chooses it first) would take
    the request past the policy's total wait."""

    def __init__(self, policy: RetryPolicy) -> None:
        self.policy = policy
        self.next = 0.0
        self.over_budget = False

    def wait(self, state: tenacity.RetryCallState) -> float:
        retry_after = state.outcome.exception().retry_after
        if retry_after is not None:
            return retry_after
        return self.policy.backoff(state.attempt_number)

    def stop(self, state: tenacity.RetryCallState) -> bool:
        if state.attempt_number >= self.policy.max_attempts:
            return True
        self.next = state.upcoming_sleep
        self.over_budget = state.idle_for + self.next > self.policy.max_total_wait
        return self.over_budget


def _attempt(call: _Call, policy: RetryPolicy) -> Page:
    """One request for the page, its body read under the attempt's deadline."""
    deadline = time.monotonic() + policy.deadline
    try:
        response = _send(
            call.session, call.method, call.url, params=call.params, form=call.form,
            headers=call.headers, what=call.what,
            timeout=(policy.timeout, min(policy.timeout, policy.deadline)),
        )  # fmt: skip
        with response:
            body = _read_body(response, policy, deadline, call.what)
    except requests.Timeout:
        raise _Retryable(f"no answer within {policy.timeout:g} s") from None
    except requests.ConnectionError as error:
        raise _Retryable(f"connection failed ({type(error).__name__})") from None
    status = response.status_code
    if status in call.refused_status:
        raise ApiAuthError(
            f"{call.what}: the API answered HTTP {status} ({response.reason}): the credentials"
            f" were refused or are missing; {call.credentials_hint}"
        )
    if status in RETRYABLE_STATUS:
        retry_after = response.headers.get("Retry-After") if status == 429 else None
        raise _Retryable(f"HTTP {status} {response.reason}", retry_after_seconds(retry_after))
    if status >= 400:
        raise ApiError(
            f"{call.what}: the API answered HTTP {status} ({response.reason}) for {response.url}"
        )
    return Page(url=response.url, body=body, document=_json_document(response, body, call.what))


def _json_document(response: requests.Response, body: bytes, what: str) -> Any:
    content_type = response.headers.get("Content-Type", "")
    if "json" not in content_type.lower():
        raise ApiError(
            f"{what}: expected a JSON page, got content type '{content_type or 'none'}'"
            f" ({len(body)} bytes); nothing of this month was landed"
        )
    try:
        return json.loads(body)
    except json.JSONDecodeError as error:
        raise ApiError(
            f"{what}: malformed or truncated JSON ({error.msg} at byte {error.pos} of {len(body)})"
        ) from None
    except UnicodeDecodeError:
        raise ApiError(f"{what}: body is not UTF-8 JSON") from None


class PageCache:
    """Pages of one query kept on disk until the month is landed, so that a crash resumes.

    Layout: `<warehouse dir>/.api_pages/<source>/<partition>/<fingerprint>/page-0007.json`, plus
    `query.json` (the request parameters, never credentials). Each page file is written atomically
    (temporary file, then rename) and only after it was validated, so a file present is a good page.
    """

    def __init__(self, root: Path, source: str, partition: str, query: Mapping[str, Any]) -> None:
        canonical = json.dumps(query, sort_keys=True, separators=(",", ":"))
        self.fingerprint = hashlib.sha256(canonical.encode()).hexdigest()[:16]
        self.folder = root / source / partition / self.fingerprint
        self.query = dict(query)

    def page_path(self, number: int) -> Path:
        return self.folder / f"page-{number:04d}.json"

    def has(self, number: int) -> bool:
        return self.page_path(number).exists()

    def read(self, number: int) -> Any:
        return json.loads(self.page_path(number).read_bytes())

    def write(self, number: int, body: bytes) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        query_file = self.folder / "query.json"
        if not query_file.exists():
            _atomic_write(query_file, json.dumps(self.query, indent=2, sort_keys=True).encode())
        path = self.page_path(number)
        _atomic_write(path, body)
        return path

    def drop(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _atomic_write(path: Path, data: bytes) -> None:
    partial = path.with_name(f".{path.name}.partial")
    with partial.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)


@dataclass(frozen=True)
class CachedPage:
    number: int  # the API's page number
    path: Path
    rows: int
    request_params: dict[str, Any]  # what was asked (never credentials) and what the envelope said


def _table_ddl(table: str, columns: tuple[str, ...], extra: str = "") -> str:
    fields = ", ".join(f'"{column}" varchar' for column in columns)
    return (
        f"create table if not exists raw.{table} ({fields}, _load_id varchar, _source_file varchar,"
        f" _row_number bigint, _loaded_at timestamp{extra})"
    )


def ensure_raw_tables(con, table: str, columns: tuple[str, ...]) -> None:
    """The raw table of an API source and its `_replaced` twin (earlier fetches of a month)."""
    from ingestion.landing import ensure_load_log

    ensure_load_log(con)
    con.execute(_table_ddl(table, columns))
    con.execute(
        _table_ddl(
            f"{table}_replaced", columns, ", _replaced_by_fetch varchar, _replaced_at timestamp"
        )
    )


def land_pages(
    con,
    *,
    source: str,
    table: str,
    columns: tuple[str, ...],
    records_key: str,
    scope: str,
    fetch_id: str,
    pages: list[CachedPage],
) -> tuple[list, int]:
    """Land every page of one month in ONE transaction; returns (LoadResults, rows moved aside).

    The rows of earlier fetches of the same scope (source, month and, for UCDP, release) move to
    `raw.<table>_replaced`, so the raw table never holds a month twice, while audit still shows
    every
    load and what replaced it. A fetch whose pages are byte-identical to the previous fetch of the
    scope lands nothing (it is reported as unchanged).
    """
    from ingestion.landing import (
        LoadResult,
        file_sha256,
        landing_time,
        literal_path,
        new_load_id,
        record_load,
    )

    ensure_raw_tables(con, table, columns)
    hashes = [file_sha256(page.path) for page in pages]
    previous = con.execute(
        "select load_id, sha256 from raw._loads where source = ?"
        " and json_extract_string(request_params, '$.scope') = ?",
        [source, scope],
    ).fetchall()
    if previous and sorted(sha for _, sha in previous) == sorted(hashes):
        return [
            LoadResult(
                None, source, _source_file(source, scope, page), sha, page.rows, skipped=True
            )
            for page, sha in zip(pages, hashes, strict=True)
        ], 0
    load_ids = [
        new_load_id(source, sha) + f"-p{page.number:04d}"
        for page, sha in zip(pages, hashes, strict=True)
    ]
    names = [_source_file(source, scope, page) for page in pages]
    loaded_at = landing_time(con)
    select_list = ", ".join(f"record ->> '{column}'" for column in columns)
    con.execute("begin transaction")
    try:
        previous_ids = [load_id for load_id, _ in previous]
        moved = 0
        if previous_ids:
            moved = con.execute(
                f"insert into raw.{table}_replaced select *, ?, ?::timestamp from raw.{table}"
                " where list_contains(?, _load_id)",
                [fetch_id, loaded_at, previous_ids],
            ).fetchone()[0]
            con.execute(f"delete from raw.{table} where list_contains(?, _load_id)", [previous_ids])
        landed = 0
        with_rows = [index for index, page in enumerate(pages) if page.rows]
        if with_rows:
            landed = con.execute(
                f"""
                insert into raw.{table}
                with pages as (
                    select filename, {records_key} as records
                    from read_json(?, filename = true, columns = {{{records_key}: 'JSON[]'}})
                ),
                records as (
                    select filename, unnest(records) as record,
                           unnest(generate_series(1, len(records))) as row_number
                    from pages
                ),
                page_loads as (
                    select unnest(?::varchar[]) as filename, unnest(?::varchar[]) as load_id,
                           unnest(?::varchar[]) as source_file
                )
                select {select_list}, page_loads.load_id, page_loads.source_file,
                       records.row_number, ?::timestamp
                from records
                inner join page_loads using (filename)
                order by page_loads.load_id, records.row_number
                """,
                [
                    [literal_path(pages[i].path) for i in with_rows],
                    [str(pages[i].path) for i in with_rows],
                    [load_ids[i] for i in with_rows],
                    [names[i] for i in with_rows],
                    loaded_at,
                ],
            ).fetchone()[0]
        expected = sum(page.rows for page in pages)
        if landed != expected:
            raise ApiError(
                f"{scope}: {landed} records landed but the pages hold {expected}; nothing landed"
            )
        for page, load_id, name, sha in zip(pages, load_ids, names, hashes, strict=True):
            params = {**page.request_params, "scope": scope, "fetch_id": fetch_id}
            record_load(
                con,
                load_id=load_id,
                source=source,
                source_file=name,
                sha256=sha,
                rows_in=page.rows,
                request_params=json.dumps(params, sort_keys=True),
                loaded_at=loaded_at,
            )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return [
        LoadResult(load_id, source, name, sha, page.rows, skipped=False)
        for page, load_id, name, sha in zip(pages, load_ids, names, hashes, strict=True)
    ], moved


def _source_file(source: str, scope: str, page: CachedPage) -> str:
    return f"{scope.replace(':', '/')}/page-{page.number:04d}"


LANDED_MARKER = "landed.json"


def cache_max_age_hours() -> float:
    return float(os.environ.get("CIVCAS_API_CACHE_MAX_AGE_HOURS", "") or 24)


def prepare_cache(con, cache: PageCache, *, log: Callable[[str], None]) -> None:
    """Decide whether the cached pages of a query may be used.

    Rules (docs/api_sources.md): pages landed by a fetch that the warehouse this run builds on
    already holds were published, so they are dropped and the month is fetched afresh; pages older
    than CIVCAS_API_CACHE_MAX_AGE_HOURS (default 24) are dropped; anything else (a crashed fetch,
    or a
    landed fetch whose run failed before publishing) is reused.
    """
    if not cache.folder.exists():
        return
    marker = cache.folder / LANDED_MARKER
    if marker.exists():
        fetch_id = json.loads(marker.read_text())["fetch_id"]
        published = (
            con.execute(
                "select count(*) from information_schema.tables where table_schema = 'raw'"
                " and table_name = '_loads'"
            ).fetchone()[0]
            and con.execute(
                "select count(*) from raw._loads"
                " where json_extract_string(request_params, '$.fetch_id') = ?",
                [fetch_id],
            ).fetchone()[0]
        )
        if published:
            cache.drop()
            return
    pages = list(cache.folder.glob("page-*.json"))
    oldest = min((path.stat().st_mtime for path in pages), default=time.time())
    if (time.time() - oldest) / 3600 > cache_max_age_hours():
        log(f"{cache.folder}: cached pages older than {cache_max_age_hours():g} h dropped")
        cache.drop()


def land_fetched_month(
    con,
    *,
    source: str,
    table: str,
    columns: tuple[str, ...],
    records_key: str,
    scope: str,
    cache: PageCache,
    pages: list[CachedPage],
) -> tuple[list, int]:
    """Land a month's complete pages as one new fetch, then mark (or drop) its page cache."""
    fetch_id = f"{scope}@{datetime.now(UTC).strftime('%Y%m%dT%H%M%S%fZ')}"
    results, replaced = land_pages(
        con,
        source=source,
        table=table,
        columns=columns,
        records_key=records_key,
        scope=scope,
        fetch_id=fetch_id,
        pages=pages,
    )
    finish_cache(cache, results, fetch_id)
    return results, replaced


def finish_cache(cache: PageCache, results: list, fetch_id: str) -> None:
    """After landing: keep the pages (marked) until published; drop them when nothing changed."""
    if all(result.skipped for result in results):
        cache.drop()
    else:
        _atomic_write(cache.folder / LANDED_MARKER, json.dumps({"fetch_id": fetch_id}).encode())


@dataclass(frozen=True)
class MonthlyApiTables:
    """Where a monthly API source lands and how: the `ensure_raw_tables` and `land_month` that
    ingestion/registry.py asks of one. A source module exposes them,
    `ensure_raw_tables, land_month = MonthlyApiTables(...).functions()`. `fetch_month` fetches (or
    resumes) one month's pages into the page cache; `scope_of(config, month)` names what one fetch
    replaces; `records_key` is where a page's records are."""

    source: str
    table: str
    columns: tuple[str, ...]
    records_key: str
    fetch_month: Callable[..., tuple[PageCache, list[CachedPage]]]
    scope_of: Callable[[Any, str], str]

    def ensure_raw_tables(self, con) -> None:
        ensure_raw_tables(con, self.table, self.columns)

    def land_month(
        self,
        con,
        session: requests.Session,
        config: Any,
        month: str,
        cache_root: Path,
        *,
        log: Callable[[str], None] = print,
        policy: RetryPolicy | None = None,
    ) -> tuple[list, int]:
        """Fetch (or resume) one month and land it in one transaction. Returns (loads, rows
        replaced).

        The page cache of the month is kept until a run finds the month's fetch in the warehouse it
        builds on, i.e. published (see `prepare_cache`), so that a run failing later (dbt,
        validation) does not fetch the month again.
        """
        cache, pages = self.fetch_month(
            con, session, config, month, cache_root, log=log, policy=policy
        )
        return land_fetched_month(
            con,
            source=self.source,
            table=self.table,
            columns=self.columns,
            records_key=self.records_key,
            scope=self.scope_of(config, month),
            cache=cache,
            pages=pages,
        )

    def functions(self):
        return self.ensure_raw_tables, self.land_month
