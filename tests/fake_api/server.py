"""A fake UCDP + ACLED API on 127.0.0.1 that replays the recordings and injects faults.

UCDP: `GET /ucdp/api/gedevents/<version>?pagesize&page&Country&StartDate&EndDate`, token in
`x-ucdp-access-token`; pages from 0; an event matches a month when it overlaps it (date_end >=
StartDate and date_start <= EndDate). ACLED: `POST /acled/oauth/token` (password grant) then
`GET /acled/api/acled/read?_format=json&country=A|B&event_date=start|end&event_date_where=BETWEEN
&limit&page` with `Authorization: Bearer`; pages from 1.
"""

from __future__ import annotations

import json
import math
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

RECORDINGS = Path(__file__).resolve().parent / "recordings"
UCDP_TOKEN = "ucdp-token-SECRET-7f3a9c"
ACLED_EMAIL = "analyst@example.org"
ACLED_PASSWORD = "acled-password-SECRET-51d2"
ACLED_BEARER = "acled-bearer-SECRET-c0ffee"


class _QuietServer(ThreadingHTTPServer):
    """A client that gave up (a read timeout the test injected) leaves a broken pipe: expected,
    not an error to print in the middle of the test run."""

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


@dataclass
class Fault:
    """Answer matching requests with `kind` instead of the page, `times` times (None: always).

    kind: '429' (with retry_after), '500', 'timeout' (sleep `delay` then answer), 'truncate'
    (declare the full length, send half, close), 'malformed' (half the JSON, consistent length),
    'html' (200 with text/html), '401', 'hold' (block until `release` is set, then answer).
    Hostile servers: 'redirect' (HTTP `status` to the same path on `localhost`, another host
    than 127.0.0.1), 'drip' (the page one byte every `delay` s), 'huge' (`size` bytes with no
    declared length), 'huge_declared' (declares `size` bytes, sends none), 'lying_pages' (UCDP:
    TotalPages of a million), 'ignore_page' (ACLED: always page 1).
    """

    source: str
    page: int | None
    kind: str
    times: int | None = 1
    retry_after: str | None = None
    delay: float = 0.0
    status: int = 302
    size: int = 0
    release: threading.Event = field(default_factory=threading.Event)
    seen: threading.Event = field(default_factory=threading.Event)


@dataclass
class Request:
    source: str
    method: str
    path: str
    params: dict[str, str]
    page: int | None
    headers: dict[str, str]
    at: float


class FakeApis:
    def __init__(self) -> None:
        self.ucdp = {
            version: json.loads((RECORDINGS / f"ucdp_gedevents_{version}.json").read_text())
            for version in ("24.1", "25.1")
        }
        self.acled_datasets = {
            name: json.loads((RECORDINGS / f"acled_events{suffix}.json").read_text())
            for name, suffix in (("original", ""), ("revised", "_revised"))
        }
        self.acled_dataset = "original"
        # ACLED's deletions feed: empty until a test sets it to "withdrawn" (the recording).
        self.acled_deletions_datasets = {
            "none": [],
            "withdrawn": json.loads((RECORDINGS / "acled_deleted.json").read_text()),
        }
        self.acled_deletions_dataset = "none"
        self.faults: list[Fault] = []
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._server = _QuietServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def ucdp_base_url(self) -> str:
        return f"{self.base}/ucdp/api"

    @property
    def acled_base_url(self) -> str:
        return f"{self.base}/acled"

    def start(self) -> FakeApis:
        self._thread.start()
        return self

    def stop(self) -> None:
        for fault in self.faults:
            fault.release.set()
        self._server.shutdown()
        self._server.server_close()

    def inject(self, fault: Fault) -> Fault:
        with self._lock:
            self.faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            for fault in self.faults:
                fault.release.set()
            self.faults.clear()
            self.requests.clear()

    def pages_requested(self, source: str) -> list[int]:
        return [r.page for r in self.requests if r.source == source and r.page is not None]

    def _take_fault(self, source: str, page: int | None) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.source == source and fault.page in (None, page) and fault.times != 0:
                    if fault.times is not None:
                        fault.times -= 1
                    return fault
        return None

    # --- the APIs -------------------------------------------------------------------------

    def ucdp_page(self, version: str, params: dict[str, str], path: str) -> tuple[int, dict]:
        events = self.ucdp.get(version)
        if events is None:
            return 404, {"message": f"unknown version {version}"}
        countries = set(params.get("Country", "").split(",")) - {""}
        start, end = params.get("StartDate", "0000"), params.get("EndDate", "9999")
        matching = [
            event for event in events
            if (not countries or str(event["country_id"]) in countries)
            and event["date_end"][:10] >= start and event["date_start"][:10] <= end
        ]  # fmt: skip
        size = int(params.get("pagesize", "100"))
        page = int(params.get("page", "0"))
        total_pages = math.ceil(len(matching) / size)

        def link(number: int) -> str:
            if number < 0 or number >= total_pages:
                return ""
            return f"{self.base}{path}?{urlencode({**params, 'page': str(number)})}"

        return 200, {
            "TotalCount": len(matching),
            "TotalPages": total_pages,
            "PreviousPageUrl": link(page - 1),
            "NextPageUrl": link(page + 1),
            "Result": matching[page * size : (page + 1) * size],
        }

    def acled_page(self, params: dict[str, str]) -> dict:
        events = self.acled_datasets[self.acled_dataset]
        countries = set(params.get("country", "").split("|")) - {""}
        start, _, end = params.get("event_date", "0000|9999").partition("|")
        matching = sorted(
            (event for event in events
             if (not countries or event["country"] in countries)
             and start <= event["event_date"] <= end),
            key=lambda event: (event["event_date"], event["event_id_cnty"]),
        )  # fmt: skip
        limit = int(params.get("limit", "5000"))
        page = int(params.get("page", "1"))
        data = matching[(page - 1) * limit : page * limit]
        return {"status": 200, "success": True, "last_update": 0, "count": len(data),
                "messages": [],
                "data": data, "filename": "acled_export"}  # fmt: skip

    def acled_deleted_page(self, params: dict[str, str]) -> dict:
        """`deleted_timestamp=T&deleted_timestamp_where=>`: the deletions after T (a time that is
        not a number is served whatever T is, as a feed that holds one would)."""
        since = int(params.get("deleted_timestamp", "0"))
        matching = [
            row
            for row in self.acled_deletions_datasets[self.acled_deletions_dataset]
            if not row["deleted_timestamp"].isdigit() or int(row["deleted_timestamp"]) > since
        ]
        if since:  # a row that is not a time was served with the first fetch only
            matching = [row for row in matching if row["deleted_timestamp"].isdigit()]
        limit = int(params.get("limit", "5000"))
        page = int(params.get("page", "1"))
        data = matching[(page - 1) * limit : page * limit]
        return {"status": 200, "success": True, "count": len(data), "data": data}

    def _handler(self):
        apis = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def _send(
                self,
                status: int,
                payload: bytes,
                content_type="application/json; charset=utf-8",
                headers: dict[str, str] | None = None,
                declared: int | None = None,
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header(
                    "Content-Length", str(declared if declared is not None else len(payload))
                )
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)
                self.wfile.flush()

            def _redirect(self, fault: Fault) -> None:
                port = apis._server.server_address[1]
                location = f"http://localhost:{port}{self.path}"
                self._send(fault.status, b"{}", headers={"Location": location})

            def _drip(self, body: bytes, delay: float) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    for index in range(len(body)):
                        self.wfile.write(body[index : index + 1])
                        self.wfile.flush()
                        time.sleep(delay)
                except OSError:  # the client gave up: that is the point
                    self.close_connection = True

            def _huge(self, size: int, declared: bool) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                if declared:
                    self.send_header("Content-Length", str(size))
                    self.end_headers()
                    self.close_connection = True
                    return
                self.send_header("Connection", "close")
                self.end_headers()
                self.close_connection = True
                block = b" " * 65536
                try:
                    for _ in range(size // len(block)):
                        self.wfile.write(block)
                except OSError:
                    pass

            def _json(self, status: int, document: dict) -> None:
                self._send(status, json.dumps(document).encode())

            def do_POST(self) -> None:
                url = urlparse(self.path)
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                apis.requests.append(
                    Request(
                        "acled-auth", "POST", url.path, form, None, dict(self.headers), time.time()
                    )
                )
                fault = apis._take_fault("acled-auth", None)
                if fault and fault.kind == "redirect":
                    return self._redirect(fault)
                if fault and fault.kind == "401":
                    return self._json(401, {"error": "invalid_grant"})
                if url.path != "/acled/oauth/token":
                    return self._json(404, {"error": "not found"})
                if (form.get("username"), form.get("password"), form.get("grant_type")) != (
                    ACLED_EMAIL,
                    ACLED_PASSWORD,
                    "password",
                ):
                    return self._json(
                        400,
                        {
                            "error": "invalid_grant",
                            "error_description": "The user credentials were incorrect.",
                        },
                    )
                return self._json(
                    200,
                    {
                        "token_type": "Bearer",
                        "expires_in": 86400,
                        "access_token": ACLED_BEARER,
                        "refresh_token": "r",
                    },
                )

            def do_GET(self) -> None:
                url = urlparse(self.path)
                params = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path.startswith("/ucdp/api/gedevents/"):
                    source, page = "ucdp", int(params.get("page", "0"))
                elif url.path == "/acled/api/acled/read":
                    source, page = "acled", int(params.get("page", "1"))
                elif url.path == "/acled/api/deleted/read":
                    source, page = "acled-deleted", int(params.get("page", "1"))
                else:
                    return self._json(404, {"error": "not found"})
                apis.requests.append(
                    Request(source, "GET", url.path, params, page, dict(self.headers), time.time())
                )
                fault = apis._take_fault(source, page)
                if fault:
                    fault.seen.set()
                    if fault.kind == "hold":
                        fault.release.wait(60)
                    elif fault.kind == "timeout":
                        time.sleep(fault.delay)
                    elif fault.kind == "429":
                        headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                        return self._send(429, b'{"message": "Too many requests"}', headers=headers)
                    elif fault.kind == "500":
                        return self._send(500, b'{"message": "Internal Server Error"}')
                    elif fault.kind == "401":
                        return self._send(401, b'{"message": "Unauthorized"}')
                    elif fault.kind == "redirect":
                        return self._redirect(fault)
                    elif fault.kind in ("huge", "huge_declared"):
                        return self._huge(fault.size, declared=fault.kind == "huge_declared")
                    elif fault.kind == "ignore_page":
                        params["page"] = "1"
                if source == "ucdp":
                    if self.headers.get("x-ucdp-access-token") != UCDP_TOKEN:
                        return self._send(401, b'{"message": "Unauthorized"}')
                    status, document = apis.ucdp_page(url.path.rsplit("/", 1)[1], params, url.path)
                    if fault and fault.kind == "lying_pages":
                        document["TotalPages"] = 1_000_000
                else:
                    if self.headers.get("Authorization") != f"Bearer {ACLED_BEARER}":
                        return self._json(
                            401, {"status": 401, "success": False, "error": "Unauthorized"}
                        )
                    page_of = apis.acled_page if source == "acled" else apis.acled_deleted_page
                    status, document = 200, page_of(params)
                body = json.dumps(document).encode()
                if fault and fault.kind == "drip":
                    return self._drip(body, fault.delay)
                if fault and fault.kind == "truncate":
                    self.close_connection = True
                    return self._send(
                        status,
                        body[: len(body) // 2],
                        declared=len(body),
                        headers={"Connection": "close"},
                    )
                if fault and fault.kind == "malformed":
                    return self._send(status, body[: len(body) // 2])
                if fault and fault.kind == "html":
                    return self._send(
                        200,
                        b"<html><body>Service maintenance</body></html>",
                        content_type="text/html; charset=utf-8",
                    )
                self._send(status, body)

        return Handler
