"""`civcas sql --as-of WHEN`: which publish was current at a moment, and where its file is.

WHEN is a date (`2026-11-30`: as the warehouse stood at the end of that UTC day), a time in ISO
8601 (`2026-11-30T06:00:00`; without an offset it is UTC), or a Dagster run id (the whole id or
its first 8 characters, as the UI shows it). In file mode the answer is a release kept under
`Settings.releases_dir` for `Settings.keep_releases_days` after it was replaced, found through
the publish log (civcas.publish_log); a lake resolves WHEN to a snapshot of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from civcas import publish_log
from civcas.publish_log import Publish
from civcas.settings import KEEP_RELEASES_DAYS_ENV, Settings

# A Dagster run id (a UUID) or the first 8 characters of one.
RUN_ID = re.compile(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}|[0-9a-f]{8}", re.IGNORECASE)
WHEN_HELP = (
    "a date (2026-11-30), a UTC time in ISO 8601 (2026-11-30T06:00:00) or a run id"
    " (`civcas status` lists the recent publishes)"
)


class AsOfError(ValueError):
    """WHEN cannot be answered; the message says why in one line."""


@dataclass(frozen=True)
class When:
    text: str
    before: datetime | None = None  # UTC: the publish current then is the last one before this
    inclusive: bool = True  # a publish at exactly `before` counts (a time, not a day's end)
    run_id: str | None = None


def parse_when(text: str) -> When:
    text = text.strip()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        pass
    else:  # the end of that day: the next day's midnight, not itself included
        end = datetime.combine(day + timedelta(days=1), time(), UTC)
        return When(text, before=end, inclusive=False)
    if RUN_ID.fullmatch(text):
        return When(text, run_id=text.lower())
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise AsOfError(f"cannot read --as-of {text!r}: give {WHEN_HELP}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return When(text, before=moment.astimezone(UTC))


def publish_at(publishes: list[Publish], when: When) -> Publish:
    """The publish that was current at `when` (`publishes` oldest first)."""
    if not publishes:
        raise AsOfError(
            f"--as-of {when.text}: no publish is recorded yet (each `civcas run` that publishes"
            " records one)"
        )
    if when.run_id is not None:
        found = [p for p in publishes if p.run_id.lower().startswith(when.run_id)]
        if not found:
            raise AsOfError(
                f"--as-of {when.text}: no publish by run {when.run_id} is recorded"
                " (`civcas status` lists the recent publishes)"
            )
        if len({p.run_id for p in found}) > 1:
            raise AsOfError(f"--as-of {when.text}: several runs start with it; give the whole id")
        return found[-1]
    earlier = [
        p
        for p in publishes
        if p.published_at < when.before or (when.inclusive and p.published_at == when.before)
    ]
    if not earlier:
        first = publishes[0]
        raise AsOfError(
            f"--as-of {when.text}: nothing was published yet then; the first publish was at"
            f" {first.published_at:%Y-%m-%dT%H:%M:%S} UTC (run {first.run_id})"
        )
    return earlier[-1]


def release_file(settings: Settings, when: When) -> tuple[Path, Publish]:
    """The published file that was current at `when`, as it was published (file mode), and the
    publish that wrote it."""
    publish = publish_at(publish_log.read(settings.publish_log), when)
    return kept_release(settings, publish, when.text), publish


def kept_release(settings: Settings, publish: Publish, asked: str) -> Path:
    """The file `publish` wrote (file mode), while it is kept; `asked` is the WHEN that named it."""
    path = settings.releases_dir / publish.release / settings.warehouse.name
    if not path.exists():
        raise AsOfError(
            f"--as-of {asked}: the warehouse published at"
            f" {publish.published_at:%Y-%m-%dT%H:%M:%S} UTC by run {publish.run_id} is no longer"
            f" kept (releases are kept {settings.keep_releases_days:g} days after they are"
            f" replaced: {KEEP_RELEASES_DAYS_ENV}); marts.fct_publish_changes still lists what"
            " changed since"
        )
    return path
