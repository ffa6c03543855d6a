"""`civcas ledger check FILE...`: every kind of problem, with its file, line, field and fix hint,
and the exit code."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from helpers import SAMPLE_LANDING

from civcas.cli import main
from civcas.ledger_check import check_files

HEADER = """\
document:
  id: test-doc
  publisher: Test publisher
  title: A test document
  published: 2017-03-28
claims:
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def claim(**fields: str) -> str:
    base = {
        "id": "c1",
        "claimant": "SOHR",
        "scope": "incident",
        "date": "2017-03-17",
        "country": "Syria",
        "civilians_killed": '"5"',
    }
    base.update(fields)
    lines = [f"    {key}: {value}" for key, value in base.items() if value is not None]
    return "  - " + "\n".join(lines)[4:] + "\n"


def problems_of(path: Path) -> list[tuple[int, str, str]]:
    return [(p.line, p.field, p.message) for p in check_files([path])]


def test_the_bundled_sample_ledger_is_clean(capsys):
    files = sorted(str(path) for path in (SAMPLE_LANDING / "ledger").glob("*.yaml"))
    assert len(files) == 4
    assert main(["ledger", "check", *files]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == "ledger check: 4 files OK"
    # What it does while the person waits, on stderr (issue 26 item 3).
    assert err.splitlines() == [
        "ledger check: reading 4 files",
        "ledger check: running the pipeline's own rules on the claims (dbt's compiled models in"
        " DuckDB, with 0 other ledger files beside)",
    ]


def test_unknown_field_with_line_and_suggestion(tmp_path, capsys):
    path = write(tmp_path, "a.yaml", HEADER + claim(civilian_killed='"3"'))
    assert main(["ledger", "check", str(path)]) == 1
    out = capsys.readouterr().out
    assert (
        f"{path}:13: claims[0].civilian_killed (claim c1): unknown field 'civilian_killed'"
        " (fix: did you mean 'civilians_killed'?)  [error]"
    ) in out
    assert "1 problem in 1 of 1 file" in out


def test_bad_dates(tmp_path):
    path = write(
        tmp_path,
        "a.yaml",
        HEADER
        + claim(date="2017-02-30")
        + claim(id="c2", date="17 March 2017")
        + claim(id="c3", date="2017-03-20", date_end="2017-03-19")
        + claim(id="c4", date="2017-04"),
    )
    found = problems_of(path)
    assert (
        10,
        "claims[0].date (claim c1)",
        "date '2017-02-30' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)",
    ) in found
    assert (16, "claims[1].date (claim c2)", "'17 March 2017' is not a valid date") in found
    assert (
        25,
        "claims[2].date_end (claim c3)",
        "date_end 2017-03-19 is before date 2017-03-20",
    ) in found
    assert (
        29,
        "claims[3].date (claim c4)",
        "the claim reaches 2017-04-30, after its document was published (2017-03-28)",
    ) in found


def test_unknown_belligerent_claimant_and_country(tmp_path):
    path = write(
        tmp_path,
        "a.yaml",
        HEADER
        + claim(
            belligerents="[US-led coalition, Klingons]", claimant="Martians", country="Atlantis"
        ),
    )
    found = {(line, message) for line, _, message in problems_of(path)}
    assert found == {
        (8, "claimant 'Martians' is not in seeds/claimant_aliases.csv"),
        (11, "country 'Atlantis' is not in seeds/countries.csv"),
        (13, "belligerents 'Klingons' not in seeds/belligerent_aliases.csv"),
    }


def test_part_of_that_points_nowhere(tmp_path):
    path = write(tmp_path, "a.yaml", HEADER + claim(part_of="c9"))
    assert problems_of(path) == [
        (13, "claims[0].part_of (claim c1)", "part_of 'test-doc/c9' points to no claim")
    ]


def test_part_of_another_document_in_the_same_folder_resolves(tmp_path):
    for path in (SAMPLE_LANDING / "ledger").glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    path = write(
        tmp_path,
        "new.yaml",
        HEADER
        + claim(
            country="Iraq", part_of="un-human-rights-office-2017-03-28-mosul/al-jadida-airstrike"
        ),
    )
    assert problems_of(path) == []


def test_unreadable_quantity(tmp_path):
    path = write(
        tmp_path,
        "a.yaml",
        HEADER
        + claim(civilians_killed="a lot")
        + claim(id="c2", civilians_killed="between 62 and 37"),
    )
    problems = check_files([path])
    assert [(p.line, p.field, p.message) for p in problems] == [
        (
            12,
            "claims[0].civilians_killed (claim c1)",
            "unreadable quantity: 'a lot' matches no convention of seeds/quantity_conventions.csv"
            " and is not a number word of seeds/number_words.csv",
        ),
        (
            18,
            "claims[1].civilians_killed (claim c2)",
            "unreadable quantity: the range 'between 62 and 37' is reversed (62 > 37)",
        ),
    ]
    assert "quantity_conventions.csv" in problems[0].hint


def test_counts_that_would_fail_the_run(tmp_path):
    path = write(
        tmp_path,
        "a.yaml",
        HEADER
        + claim(civilians_killed='"50"')
        + claim(id="c2", civilians_killed='"140"', part_of="c1")
        + claim(id="c3", civilians_killed='"10"', children_killed="dozens"),
    )
    found = [(line, message) for line, _, message in problems_of(path)]
    assert found == [
        (
            18,
            "the part (at least 140) exceeds the minimum of its whole 'test-doc/c1' (50); the run"
            " would fail and nothing would be published",
        ),
        (
            25,
            "children + women killed (at least 24) exceed the total (at most 10); the run would"
            " fail and nothing would be published",
        ),
    ]


def test_structural_problems(tmp_path):
    not_yaml = write(tmp_path, "x.yaml", HEADER + "  - id: [unclosed\n")
    assert [(p.line, p.field) for p in check_files([not_yaml])] == [(8, "(file)")]
    assert check_files([not_yaml])[0].message.startswith("not valid YAML")
    no_document = write(tmp_path / "y", "y.yaml", "claims:\n" + claim())
    assert [(p.line, p.field, p.message, p.blocking) for p in check_files([no_document])] == [
        (1, "(file)", "'document' is missing", True)
    ]
    duplicate = write(tmp_path / "z", "z.yaml", HEADER + claim() + claim())
    assert [(p.line, p.message) for p in check_files([duplicate])] == [
        (7, "claim id c1 appears 2 times in this document"),
        (13, "claim id c1 appears 2 times in this document"),
    ]
    average = write(tmp_path / "w", "w.yaml", HEADER + claim(scope="average", date="2017-02"))
    assert [(p.line, p.message, p.hint) for p in check_files([average])] == [
        (7, "an average claim needs 'average_per'", "add average_per: month (or day, week, year)")
    ]


def test_a_missing_file(tmp_path, capsys):
    assert main(["ledger", "check", str(tmp_path / "nope.yaml")]) == 1
    assert "nope.yaml:1: (file): no such file" in capsys.readouterr().out


def test_an_incident_claim_beyond_one_incident_is_quarantined_not_blocking(tmp_path):
    """ "thousands" (2,000 to 9,999) on an incident claim would fail the error-level
    incident_plausibility expectation for every source: triage quarantines that claim instead, and
    `ledger check` says so (issue 27, item 7)."""
    path = write(
        tmp_path / "ledger",
        "thousands.yaml",
        HEADER
        + claim(civilians_killed='"thousands"')
        + claim(id="c2", civilians_injured='"30000"'),
    )
    assert problems_of(path) == [
        (
            12,
            "claims[0].civilians_killed (claim c1)",
            "'thousands' reaches 9999, more than one incident plausibly counts (5000): give the"
            " claim scope period, or a closer figure",
        ),
        (
            19,
            "claims[1].civilians_injured (claim c2)",
            "'30000' reaches 30000, more than one incident plausibly counts (20000): give the"
            " claim scope period, or a closer figure",
        ),
    ]
