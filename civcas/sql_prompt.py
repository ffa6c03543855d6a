"""`civcas sql` without a query: an interactive prompt, with history, on a guarded session."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from civcas.query import GuardedSession, QueryRefused

HISTORY = Path.home() / ".civcas_sql_history"
HISTORY_LENGTH = 1000


def prompt(session: GuardedSession, fmt: str, max_rows: int) -> int:
    """Read statements until a line ends with `;`, print their results; `.quit` or end of input
    (Ctrl-D) leaves. A refused statement prints why and the prompt goes on."""
    import readline  # line editing and history, where the platform has it

    with contextlib.suppress(OSError):  # no history yet
        readline.read_history_file(HISTORY)
    readline.set_history_length(HISTORY_LENGTH)
    print('civcas sql: read-only; end a statement with ";", leave with .quit or Ctrl-D')
    pending: list[str] = []
    try:
        while True:
            try:
                line = input("   ...> " if pending else "civcas> ")
            except EOFError:
                print()
                return 0
            except KeyboardInterrupt:
                print()
                pending = []
                continue
            if not pending and line.strip() in {".quit", ".exit"}:
                return 0
            pending.append(line)
            if line.rstrip().endswith(";"):
                try:
                    session.run("\n".join(pending), sys.stdout, fmt, max_rows)
                except QueryRefused as error:
                    print(f"civcas sql: {error}", file=sys.stderr)
                pending = []
    finally:
        with contextlib.suppress(OSError):  # a read-only home: no history kept
            readline.write_history_file(HISTORY)
