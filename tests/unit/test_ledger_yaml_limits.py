"""Ledger YAML is bounded: an alias bomb or an oversize file is a clear error naming the file,
never memory exhaustion."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ingestion import ledger
from ingestion.landing import LandingError


def alias_bomb() -> str:
    """The classic 'billion laughs': nine levels, each nine aliases of the level below."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def read_with_memory_cap(path: Path) -> subprocess.CompletedProcess:
    """Read the file in a child limited to 1 GiB of address space and 60 s."""
    code = textwrap.dedent(
        """
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        from ingestion.ledger import read_file
        for problem in read_file(__import__('pathlib').Path(sys.argv[1]), 'bomb.yaml').problems:
            print(problem)
        """
    )
    return subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60
    )


def test_an_alias_bomb_is_refused_with_a_clear_error(tmp_path):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(alias_bomb())
    assert bomb.stat().st_size < 900
    done = read_with_memory_cap(bomb)
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.startswith("bomb.yaml:1: (file): YAML aliases (*name) expand to more than")


def test_a_few_aliases_are_still_fine(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text("x: &x [1, 2]\ny: *x\nz: *x\n")
    read = ledger.read_file(path, "ok.yaml")
    assert read.problems == []
    assert read.data == {"x": [1, 2], "y": [1, 2], "z": [1, 2]}


def test_an_oversize_ledger_file_is_refused_before_parsing(tmp_path):
    big = tmp_path / "ledger" / "huge.yaml"
    big.parent.mkdir()
    big.write_text("claims:\n" + "  - notes: " + "x" * (ledger.MAX_FILE_BYTES + 10) + "\n")
    problems = ledger.read_file(big, "ledger/huge.yaml").problems
    assert [str(problem) for problem in problems] == [
        f"ledger/huge.yaml:1: (file): the file is larger than {ledger.MAX_FILE_BYTES:,} bytes,"
        " the most a ledger file (one document) may hold (fix: split it into one file per"
        " document)"
    ]


def test_landing_refuses_the_bomb_naming_the_file(tmp_path):
    import duckdb

    (tmp_path / "ledger").mkdir()
    (tmp_path / "ledger" / "bomb.yaml").write_text(alias_bomb())
    con = duckdb.connect()
    with pytest.raises(LandingError, match=r"(?s)^ledger/bomb\.yaml: cannot land .*YAML aliases"):
        ledger.land(con, tmp_path)
