"""`civcas-dbt`: dbt, bound to the life of the process that started it.

dagster-dbt starts dbt with a plain `subprocess.Popen`; if the run's process is killed (kill -9,
OOM killer), dbt would go on as an orphan writing to a build nobody will publish. This wrapper,
the `dbt_executable` of the Dagster dbt resource, asks Linux to kill it when its parent dies
(prctl PR_SET_PDEATHSIG, kept across exec) and then becomes dbt itself (exec: same process id),
started in the run's build folder (CIVCAS_BUILD_DIR, see civcas.settings).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

from civcas.settings import BUILD_DIR_ENV, dbt_executable

PR_SET_PDEATHSIG = 1


def bind_to_parent() -> None:
    parent = os.getppid()
    if parent == 1:  # already orphaned (re-parented to init): the run is gone
        os._exit(1)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def main() -> None:
    if sys.platform.startswith("linux"):
        bind_to_parent()
    if os.environ.get(BUILD_DIR_ENV):
        os.chdir(os.environ[BUILD_DIR_ENV])
    dbt = dbt_executable()
    os.execv(dbt, [str(dbt), *sys.argv[1:]])


if __name__ == "__main__":
    main()
