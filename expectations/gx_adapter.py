"""Everything that touches great_expectations. Imported lazily: `import great_expectations`
alone takes about 5 s and ~200 MB, which modules that only load suites should not pay."""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from expectations.suites import ExpectationSpec, Suite

if TYPE_CHECKING:
    import pandas as pd
    from great_expectations.core import ExpectationSuiteValidationResult
    from great_expectations.data_context import AbstractDataContext
    from great_expectations.expectations import Expectation

DATA_DOCS_SITE = "civcas_validation"
RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": 5}
OBSERVED_MAX_CHARS = 200
_GX_SEVERITY = {"error": "critical", "warn": "warning"}


def _gx() -> Any:
    # Must be set before the first import; GX reads it when a context is built.
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx

    return gx


def import_in_background() -> None:
    """Start importing great_expectations in a daemon thread, for a validation that follows in
    this process: its first `_gx()` waits for the import to finish (Python's import lock)."""
    threading.Thread(target=_gx, name="import great_expectations", daemon=True).start()


def make_context(data_docs_dir: Path | None) -> AbstractDataContext:
    """An in-memory context: no great_expectations/ folder, no stores on disk, no analytics.
    The only thing written is the Data Docs site, and only when a directory is given."""
    gx = _gx()
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    sites: dict[str, Any] = {}
    if data_docs_dir is not None:
        sites[DATA_DOCS_SITE] = {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(Path(data_docs_dir).resolve()),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        data_docs_sites=sites,
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    return gx.get_context(project_config=config, mode="ephemeral")


def build_expectation(suite: Suite, spec: ExpectationSpec) -> Expectation:
    """The GX expectation for a spec; bad kwargs raise ValueError naming suite and expectation."""
    gx = _gx()
    cls = getattr(gx.expectations, spec.gx_class_name)
    try:
        return cls(
            **spec.kwargs,
            description=spec.description or None,
            severity=_GX_SEVERITY[spec.severity],
            meta={"name": spec.name, "severity": spec.severity},
        )
    except Exception as exc:  # pydantic raises its own ValidationError type
        where = f"{suite.path or suite.name}: expectation '{spec.name}'"
        raise ValueError(f"{where}: invalid kwargs for {spec.type}: {exc}") from exc


def check_kwargs(suites: list[Suite]) -> None:
    """Instantiate every expectation so that kwarg mistakes surface before a run."""
    for suite in suites:
        for spec in suite.expectations:
            build_expectation(suite, spec)


class SuiteValidator:
    """Validates DataFrames against suites within one context, then builds Data Docs."""

    def __init__(self, data_docs_dir: Path | None) -> None:
        self._gx = _gx()
        self._docs = data_docs_dir is not None
        self._docs_dir = data_docs_dir
        self._context = make_context(data_docs_dir)
        self._datasource = self._context.data_sources.add_pandas("civcas_duckdb")

    def validate(
        self, suite: Suite, frame: pd.DataFrame, run_id: str, run_time: datetime
    ) -> ExpectationSuiteValidationResult:
        from great_expectations.core.run_identifier import RunIdentifier

        gx = self._gx
        gx_suite = self._context.suites.add(
            gx.ExpectationSuite(
                name=suite.name,
                expectations=[build_expectation(suite, s) for s in suite.expectations],
                meta={"table_name": suite.table_name, "description": suite.description},
            )
        )
        asset = self._datasource.add_dataframe_asset(name=suite.name)
        batch_definition = asset.add_batch_definition_whole_dataframe(suite.name)
        definition = self._context.validation_definitions.add(
            gx.ValidationDefinition(name=suite.name, data=batch_definition, suite=gx_suite)
        )
        result_format = dict(RESULT_FORMAT)
        if suite.identify:
            result_format["unexpected_index_column_names"] = list(suite.identify)
        return definition.run(
            batch_parameters={"dataframe": frame},
            result_format=result_format,
            run_id=RunIdentifier(run_name=run_id, run_time=run_time),
        )

    def build_data_docs(self) -> None:
        if self._docs:
            # Only the latest validation is shown: the pages of earlier runs would pile up.
            shutil.rmtree(Path(self._docs_dir) / "validations", ignore_errors=True)
            self._context.build_data_docs(site_names=[DATA_DOCS_SITE])
            make_offline(Path(self._docs_dir))


# GX's page templates load Bootstrap, jQuery, Vega and fonts from CDNs; offline, every page would
# wait on them. The validation pages are rendered server-side, so without them they stay complete
# and readable (styled by GX's own static/styles); the index's table needs them, so `civcas docs`
# lists the results on a page of its own (civcas/docs_site.py).
_REMOTE_ASSET = re.compile(
    r"<script[^>]*\ssrc=\"https?://[^\"]*\"[^>]*>\s*</script>"
    r"|<link[^>]*\shref=\"https?://[^\"]*\"[^>]*>"
    r"|<img[^>]*\ssrc=\"https?://[^\"]*\"[^>]*>"
    # the favicon's relative path is one folder short on validation pages: a 404 on every page
    r"|<link[^>]*\srel=\"(?:shortcut )?icon\"[^>]*>",
    re.IGNORECASE,
)


def make_offline(site_dir: Path) -> int:
    """Remove every remote script and stylesheet of the Data Docs pages; the count removed."""
    removed = 0
    for page in site_dir.rglob("*.html"):
        html, count = _REMOTE_ASSET.subn("", page.read_text(encoding="utf-8"))
        if count:
            page.write_text(html, encoding="utf-8")
            removed += count
    return removed


def summarise(
    result: Any, identify: tuple[str, ...] = ()
) -> tuple[bool, int | None, str | None, str | None]:
    """(success, unexpected_count, observed_value, first_failing) of one
    ExpectationValidationResult; first_failing lists the suite's `identify` columns of the first
    unexpected rows."""
    message = exception_message(result.exception_info)
    if message is not None:
        return False, None, _short(f"error: {message}"), None
    body = result.result or {}
    count = body.get("unexpected_count")
    if "observed_value" in body:
        observed: Any = body["observed_value"]
    elif count is not None:
        observed = {
            "unexpected_percent": _round(body.get("unexpected_percent")),
            "partial_unexpected": body.get("partial_unexpected_list", [])[:5],
        }
    else:
        observed = body or None
    first = [
        {k: v for k, v in _plain(record).items() if k in identify}
        for record in body.get("partial_unexpected_index_list") or []
        if isinstance(record, dict)
    ]
    return (
        bool(result.success),
        None if count is None else int(count),
        _short(observed),
        json.dumps(first, default=str) if first else None,
    )


def exception_message(info: dict | None) -> str | None:
    """The first exception GX caught, if any. GX reports either one exception or, when metric
    resolution failed, a mapping of metric ids to exceptions."""
    if not info:
        return None
    if "raised_exception" in info:
        return str(info.get("exception_message")) if info["raised_exception"] else None
    for value in info.values():
        if isinstance(value, dict) and value.get("raised_exception"):
            return str(value.get("exception_message"))
    return None


def _round(value: Any) -> Any:
    return round(value, 4) if isinstance(value, float) else value


def _plain(value: Any) -> Any:
    """JSON-friendly values; whole floats (integers that went through DOUBLE) print as ints."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _short(value: Any) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else json.dumps(_plain(value), default=str)
    if len(text) > OBSERVED_MAX_CHARS:
        text = text[: OBSERVED_MAX_CHARS - 1] + "…"
    return text
