"""Analysts' decisions on pairs of reports, dropped in the landing folder: `decisions/*.csv` with
the columns report_id_a, report_id_b, decision (`same` / `different`), note, decided_by, landed as
text into raw.link_decisions. `civcas review` appends to `decisions/review.csv`; a file written
again lands again, and only its latest load counts. dbt checks every row (unknown reports, stray
spaces, self-pairs, conflicting decisions) and lists each problem with its file and row in
audit.decision_problems (docs/reconciliation.md, "The review loop")."""

from __future__ import annotations

from ingestion.landing import CsvDropFolder, CsvFeed

SOURCE = "decisions"
# Decisions are about reports, not reports themselves: nothing is staged as a source's reports.
REPORTS_AS = None
RAW_TABLES = ("link_decisions",)
COLUMNS = ("report_id_a", "report_id_b", "decision", "note", "decided_by")

FEEDS = (CsvFeed("*.csv", RAW_TABLES[0], COLUMNS),)

landing_files, ensure_raw_tables, land = CsvDropFolder(SOURCE, FEEDS).functions()
