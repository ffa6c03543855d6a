"""What a failed command says: one line in the operator's terms, never a traceback.

The commands raise their own errors with clear messages; what is left is what the machine or
another process does to the files: DuckDB's lock held by a read-write session, a file that is not
a DuckDB database (truncated, overwritten), a folder that cannot be written, a full disk.
"""

from __future__ import annotations

import errno
import re

import duckdb

DISK_FULL = "the disk is full (No space left on device): free space there and run again"
_LOCK_HOLDER = re.compile(r"Conflicting lock is held in .*?\(PID (\d+)\)")


def explain_duckdb_error(error: duckdb.Error) -> str:
    text = str(error)
    first = text.splitlines()[0] if text else type(error).__name__
    if "No space left on device" in text:
        return DISK_FULL
    if "Conflicting lock" in text:
        holder = _LOCK_HOLDER.search(text)
        who = f" (PID {holder[1]})" if holder else ""
        return (
            f"the warehouse is open read-write in another process{who}; DuckDB allows one"
            " read-write process or many readers, never both: close that session (open the"
            " published file read-only: `duckdb -readonly`, `civcas sql`) and run again"
        )
    if "not a valid DuckDB database file" in text or "file is not a valid" in text.lower():
        return f"the warehouse file is not a whole DuckDB database ({first}); run `civcas run`"
    return first


def explain_os_error(error: OSError) -> str:
    if error.errno == errno.ENOSPC:
        where = f" ({error.filename})" if error.filename else ""
        return DISK_FULL.replace("the disk is full", f"the disk is full{where}", 1)
    where = f": {error.filename}" if error.filename else ""
    return f"{error.strerror or error}{where}"


def explain(error: BaseException) -> str | None:
    """The one line for an error a command did not handle itself; None for anything else."""
    if isinstance(error, duckdb.Error):
        return explain_duckdb_error(error)
    if isinstance(error, OSError):
        return explain_os_error(error)
    return None
