"""Shared HTTP mechanics of the API sources: one `requests.Session` per run, bounded retries with
exponential backoff and jitter, `Retry-After`, clear errors, and the on-disk page cache that lets an
interrupted month resume where it stopped.

Retried: HTTP 429 (waiting what `Retry-After` says when it says it), 5xx, timeouts and dropped
connections. Not retried: 401/403 (wrong or missing credentials: the message names the variable to
set), other 4xx, and bodies that are not the JSON page the API documents (wrong content type,
malformed or truncated JSON): those fail the month with the page number, landing nothing.

Secrets never leave this module: they travel in headers only, and no message, log line, cached file
or landed row contains a header.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import os
import random
import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from ingestion.landing import LandingError

USER_AGENT = "civcas (civilian-casualty warehouse; https://github.com/) python-requests"
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})


class ApiError(LandingError):
    """The month cannot be fetched; nothing of it was landed."""


class ApiAuthError(ApiError):
    """The API refused the credentials (HTTP 401/403)."""


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try. Every figure can be set from the environment (tests keep them small)."""

    max_attempts: int = 6  # CIVCAS_HTTP_MAX_ATTEMPTS, per request
    backoff_base: float = 1.0  # CIVCAS_HTTP_BACKOFF_BASE: first wait in seconds, doubled each time
    backoff_max: float = 60.0  # CIVCAS_HTTP_BACKOFF_MAX: no single wait is longer
    max_total_wait: float = 300.0  # CIVCAS_HTTP_MAX_WAIT: total seconds of waiting per request
    timeout: float = 60.0  # CIVCAS_HTTP_TIMEOUT: seconds to connect and between bytes

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
) -> Page:
    """GET one page of JSON, retrying what is worth retrying.

    `what` names the page in messages ("ucdp 2017-03 page 8"); `credentials_hint` says which
    variables to set when the API answers 401/403.
    """
    waited = 0.0
    last_problem = ""
    for attempt in range(1, policy.max_attempts + 1):
        retry_after = None
        try:
            response = session.get(url, params=params, headers=headers, timeout=policy.timeout)
            body = response.content
        except requests.Timeout:
            last_problem = f"no answer within {policy.timeout:g} s"
        except requests.exceptions.ChunkedEncodingError as error:
            raise ApiError(f"{what}: the body was truncated in transit ({type(error).__name__})") from None
        except requests.ConnectionError as error:
            last_problem = f"connection failed ({type(error).__name__})"
        else:
            shown_url = response.url
            status = response.status_code
            if status in (401, 403):
                raise ApiAuthError(
                    f"{what}: the API answered HTTP {status} ({response.reason}): the credentials"
                    f" were refused or are missing; {credentials_hint}"
                )
            if status in RETRYABLE_STATUS:
                last_problem = f"HTTP {status} {response.reason}"
                if status == 429:
                    retry_after = retry_after_seconds(response.headers.get("Retry-After"))
            elif status >= 400:
                raise ApiError(f"{what}: the API answered HTTP {status} ({response.reason}) for {shown_url}")
            else:
                content_type = response.headers.get("Content-Type", "")
                if "json" not in content_type.lower():
                    raise ApiError(
                        f"{what}: expected a JSON page, got content type '{content_type or 'none'}'"
                        f" ({len(body)} bytes); nothing of this month was landed"
                    )
                declared = response.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) != len(body):
                    raise ApiError(f"{what}: truncated body ({len(body)} of {declared} bytes)")
                try:
                    document = json.loads(body)
                except (UnicodeDecodeError, json.JSONDecodeError) as error:
                    raise ApiError(
                        f"{what}: malformed or truncated JSON ({error.msg} at byte {error.pos}"
                        f" of {len(body)})" if isinstance(error, json.JSONDecodeError)
                        else f"{what}: body is not UTF-8 JSON"
                    ) from None
                return Page(url=shown_url, body=body, document=document)
        if attempt == policy.max_attempts:
            break
        delay = retry_after if retry_after is not None else policy.backoff(attempt)
        if waited + delay > policy.max_total_wait:
            raise ApiError(
                f"{what}: gave up after {attempt} attempts: {last_problem}; waiting {delay:.1f} s more"
                f" would exceed the {policy.max_total_wait:g} s allowed (CIVCAS_HTTP_MAX_WAIT)"
            )
        log(f"{what}: {last_problem}; attempt {attempt} of {policy.max_attempts}, retrying in {delay:.2f} s")
        sleep(delay)
        waited += delay
    raise ApiError(
        f"{what}: gave up after {policy.max_attempts} attempts (CIVCAS_HTTP_MAX_ATTEMPTS): {last_problem}"
    )


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

    def cached_pages(self) -> list[int]:
        return sorted(int(path.stem.split("-")[1]) for path in self.folder.glob("page-*.json"))

    def drop(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _atomic_write(path: Path, data: bytes) -> None:
    partial = path.with_name(f".{path.name}.partial")
    with partial.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)
