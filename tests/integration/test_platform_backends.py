"""``commerce dev`` reports a backend that cannot start as an error, not a traceback."""

from __future__ import annotations

import socket
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

import pytest

from shared.runtime.platform import BackendFailed, start_backends
from shared.settings import Settings


def test_a_taken_postgres_port_is_reported_as_a_backend_failure(tmp_path: Path) -> None:
    # given
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        settings = replace(Settings(), data_dir=tmp_path, embedded_postgres_port=port)

        # when
        with pytest.raises(BackendFailed) as failure, ExitStack() as backends:
            start_backends(settings, backends)

    # then
    assert str(failure.value) == f"port 127.0.0.1:{port} is already taken"
    assert not (tmp_path / "postgres" / "PG_VERSION").exists()
