"""A lake on this machine, for `make lake` and the tests: a throwaway PostgreSQL cluster (Debian's
binaries) as the catalog, on 127.0.0.1 and a free port, and a data folder.

PostgreSQL refuses to run as root: as root the cluster runs as the `postgres` system user (which
Debian's package creates), and its folder belongs to that user. Password authentication is on;
the password is generated, handed to clients in PGPASSWORD (libpq reads it there), and never
part of the catalog's connection string.

    python -m civcas.local_lake start .lake    # start (or restart) it; writes .lake/env
    python -m civcas.local_lake stop .lake
"""

from __future__ import annotations

import argparse
import os
import pwd
import secrets
import shlex
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from civcas.settings import LAKE_CATALOG_ENV, LAKE_DATA_ENV

PG_BIN = Path(os.environ.get("CIVCAS_PG_BIN", "/usr/lib/postgresql/15/bin"))
SERVICE_USER = "postgres"
DATABASE = "civcas_lake"
ROLE = "civcas"


@dataclass(frozen=True)
class LocalLake:
    root: Path
    port: int
    password: str

    @property
    def catalog(self) -> str:
        return f"dbname={DATABASE} host=127.0.0.1 port={self.port} user={ROLE}"

    @property
    def data(self) -> Path:
        return self.root / "data"

    def environment(self) -> dict[str, str]:
        # Runs build and write the report in a working folder of the lake's own.
        return {
            "CIVCAS_WAREHOUSE": str(self.root / "work" / "civcas.duckdb"),
            LAKE_CATALOG_ENV: self.catalog,
            LAKE_DATA_ENV: str(self.data),
            "PGPASSWORD": self.password,
        }


def _as_service_user() -> list[str]:
    return ["runuser", "-u", SERVICE_USER, "--"] if os.geteuid() == 0 else []


def _run(*command: str | Path, env: dict | None = None) -> None:
    done = subprocess.run(
        [*_as_service_user(), *map(str, command)], capture_output=True, text=True, env=env
    )
    if done.returncode != 0:
        raise RuntimeError(f"{Path(str(command[0])).name} failed: {done.stderr.strip()[-2000:]}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(root: Path) -> LocalLake:
    """Start the cluster under `root/pg` (made on first use) and return the lake."""
    root = root.resolve()
    cluster = root / "pg"
    secret_file = root / "password"
    root.mkdir(parents=True, exist_ok=True)
    (root / "data").mkdir(exist_ok=True)
    fresh = not (cluster / "PG_VERSION").exists()
    if fresh:
        password = secrets.token_urlsafe(24)
        secret_file.write_text(password)
        secret_file.chmod(0o600)
        cluster.mkdir(exist_ok=True)
        pwfile = cluster.parent / ".initdb-password"
        pwfile.write_text(password)
        if os.geteuid() == 0:
            owner = pwd.getpwnam(SERVICE_USER)
            os.chown(cluster, owner.pw_uid, owner.pw_gid)
            os.chown(pwfile, owner.pw_uid, owner.pw_gid)
        try:
            _run(
                PG_BIN / "initdb",
                *("-D", cluster, "-U", ROLE, "--pwfile", pwfile, "-E", "UTF8"),
                *("--auth-local=scram-sha-256", "--auth-host=scram-sha-256"),
            )
        finally:
            pwfile.unlink()
    lake = LocalLake(root, free_port(), secret_file.read_text())
    stop(root)  # a cluster left running (another port) by an earlier start
    _run(
        PG_BIN / "pg_ctl",
        *("-D", cluster, "-l", cluster / "server.log", "-w"),
        *("-o", f"-h 127.0.0.1 -p {lake.port} -k {cluster}"),
        "start",
    )
    if fresh:
        env = {**os.environ, "PGPASSWORD": lake.password}
        _run(
            PG_BIN / "createdb",
            *("-h", "127.0.0.1", "-p", lake.port, "-U", ROLE, DATABASE),
            env=env,
        )
    write_env(lake)
    return lake


def create_database(lake: LocalLake, name: str) -> str:
    """A further empty catalog database in the cluster (tests: one lake each); its DSN."""
    env = {**os.environ, "PGPASSWORD": lake.password}
    _run(PG_BIN / "createdb", *("-h", "127.0.0.1", "-p", lake.port, "-U", ROLE, name), env=env)
    return lake.catalog.replace(f"dbname={DATABASE}", f"dbname={name}")


def stop(root: Path) -> None:
    cluster = root.resolve() / "pg"
    if (cluster / "postmaster.pid").exists():
        _run(PG_BIN / "pg_ctl", "-D", cluster, "-m", "fast", "-w", "stop")


def write_env(lake: LocalLake) -> Path:
    """`root/env`: `. .lake/env` points every civcas command at the lake (mode 0600: it holds
    the password)."""
    path = lake.root / "env"
    lines = [f"export {name}={shlex.quote(value)}" for name, value in lake.environment().items()]
    path.touch(mode=0o600)
    path.write_text("\n".join(lines) + "\n")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m civcas.local_lake")
    parser.add_argument("action", choices=("start", "stop"))
    parser.add_argument("root", type=Path)
    args = parser.parse_args(argv)
    if args.action == "stop":
        stop(args.root)
        return 0
    lake = start(args.root)
    print(f"lake catalog: {lake.catalog}; data: {lake.data}; variables: {lake.root / 'env'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
