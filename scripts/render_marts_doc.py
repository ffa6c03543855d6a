"""Write docs/marts.md from the dbt project's own documentation (the YAML next to the models), so
that the analysts' reference and the dbt docs can never disagree.

    .venv/bin/python scripts/render_marts_doc.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from civcas.dbt_manifest import ensure_manifest  # noqa: E402

SCHEMAS = ("marts", "audit")
HEADER = """# The marts and audit tables, column by column

Generated from the dbt documentation by `scripts/render_marts_doc.py`; edit the YAML next to the
models, then re-run the script (a test fails when this file is out of date).
"""


# Written by the expectations runner and the publish, not by dbt.
VALIDATION_RESULTS = """
## `audit.validation_results`

One row per expectation per run (written by `expectations/results.py`; see docs/validation.md).

| column | description |
|---|---|
| `run_id` | The Dagster run that validated the build. |
| `checked_at` | When the suites ran (UTC). |
| `suite` | Expectation suite (a file in expectations/suites/). |
| `expectation` | Expectation name inside the suite. |
| `table_name` | The table the expectation is about. |
| `severity` | `error` (a failure stops publishing) or `warn` (recorded and shown). |
| `success` | Whether the expectation held. |
| `unexpected_count` | Rows that broke it (empty for table-level expectations). |
| `observed_value` | What GX observed, shortened (`error: ...` when the data was unreadable). |
| `first_failing` | The first failing records (JSON, up to 5) by the suite's `identify:` columns. |

## `audit.published_inputs`

One row per publish: what the published file was built from (written by `civcas/inputs.py`). A
`civcas run` whose landing folder and code match the newest row has nothing to do.

| column | description |
|---|---|
| `run_id` | The Dagster run that published. |
| `published_at` | When it published. |
| `landing_fingerprint` | Digest of the landing folder's files (names and SHA-256 contents, \
combined from each source's own) the run was started for; for a run of some sources only, made \
from theirs and the others' of `audit.published_source_inputs`; empty when one is not known. |
| `code_fingerprint` | Digest of civcas's code, dbt project and expectation suites that built it. |

## `audit.published_source_inputs`

One row per file source: the fingerprint of its landing files whose rows the published file holds
(written by `civcas/inputs.py`). `civcas run --source NAME` with nothing new for those sources has
nothing to do; emptied by a publish of a run not tagged with them (what it landed is unknown).

| column | description |
|---|---|
| `source` | The file source. |
| `landing_fingerprint` | Digest of its landing files (names and SHA-256 contents). |
| `run_id` | The Dagster run that last landed them and published. |
"""


def render() -> str:
    manifest = json.loads(ensure_manifest().read_text())
    lines = [HEADER]
    models = sorted(
        (
            node
            for node in manifest["nodes"].values()
            if node["resource_type"] == "model" and node["config"].get("schema") in SCHEMAS
        ),
        key=lambda node: (SCHEMAS.index(node["config"]["schema"]), node["name"]),
    )
    for node in models:
        relation = f"{node['config']['schema']}.{node.get('alias') or node['name']}"
        lines.append(f"\n## `{relation}`\n\n{' '.join(node['description'].split())}\n")
        lines.append("| column | description |\n|---|---|")
        for column in node["columns"].values():
            text = " ".join(column["description"].split()).replace("|", "\\|")
            lines.append(f"| `{column['name']}` | {text} |")
    return "\n".join(lines) + "\n" + VALIDATION_RESULTS


def main() -> None:
    target = REPO / "docs" / "marts.md"
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
