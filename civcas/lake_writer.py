"""One writer at a time in a lake, on any number of machines: a PostgreSQL advisory lock in the
lake's own catalog database, held from a run's copy of the last publish to its own publish.

A run that starts while another holds the lock waits for it, then copies the state that run
published, so its publish never conflicts and both runs' rows reach the lake. The lock is a
transaction-level advisory lock held by a DuckDB session (the postgres extension keeps one
catalog connection for an open transaction): PostgreSQL gives it back when that session ends,
however it ends, so a run killed outright never leaves the lake locked. Readers take no lock.
"""

from __future__ import annotations

import duckdb

from civcas.lake import LakeError, extension_directory, sql_literal
from civcas.settings import Lake

# The advisory lock's key: one per catalog database, that is one per lake ("civc").
LOCK_KEY = 0x63697663
# A writer waits at most this long (the run monitor's maximum run time, orchestration/dagster.yaml)
# before its run fails naming the run it waited for.
WAIT_SECONDS = 3 * 3600
APPLICATION_PREFIX = "civcas-writer "


def _session(lake: Lake, application: str) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(config={"extension_directory": str(extension_directory())})
    con.execute("load postgres_scanner")
    dsn = (
        f"{lake.catalog} application_name='{application}'"
        f" options='-c lock_timeout={WAIT_SECONDS * 1000}'"
    )
    try:
        con.execute(f"attach {sql_literal(dsn)} as catalog (type postgres)")
    except duckdb.Error as error:
        con.close()
        raise LakeError(
            f"cannot reach the lake's catalog {lake.catalog!r}: {str(error).splitlines()[0]}"
        ) from None
    return con


class WriterLock:
    """The lake's writer lock, held by run `run_id` until `release()` (or the process ends)."""

    def __init__(self, lake: Lake, run_id: str) -> None:
        self.lake = lake
        self.run_id = run_id
        self._con: duckdb.DuckDBPyConnection | None = None

    def acquire(self) -> WriterLock:
        """Wait until no other run holds the lock, then hold it."""
        con = _session(self.lake, f"{APPLICATION_PREFIX}{self.run_id}")
        try:
            con.execute("begin")
            con.execute(
                "select * from postgres_query('catalog',"
                f" 'select pg_advisory_xact_lock({LOCK_KEY}) is null')"
            ).fetchall()
        except duckdb.Error as error:
            con.close()
            waited_for = holder(self.lake)
            raise LakeError(
                f"run {self.run_id} could not become the lake's writer"
                + (f" (run {waited_for} holds it)" if waited_for else "")
                + f": {str(error).splitlines()[0]}"
            ) from None
        self._con = con
        return self

    @property
    def held(self) -> bool:
        return self._con is not None

    def release(self) -> None:
        if self._con is not None:
            self._con.close()  # ends the catalog session, and with it the lock
            self._con = None


def holder(lake: Lake) -> str | None:
    """The run id of the run holding the lake's writer lock, or None when it is free."""
    con = _session(lake, "civcas-reader")
    try:
        query = (
            "select a.application_name from pg_locks l join pg_stat_activity a using (pid)"
            f" where l.locktype = 'advisory' and l.granted and l.objid = {LOCK_KEY}"
            " and l.database = (select oid from pg_database where datname = current_database())"
        )
        row = con.execute(
            f"select * from postgres_query('catalog', {sql_literal(query)})"
        ).fetchone()
    finally:
        con.close()
    return row[0].removeprefix(APPLICATION_PREFIX) if row else None
