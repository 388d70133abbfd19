"""The router's TOML configuration file."""

from __future__ import annotations

from pathlib import Path

import pytest

from router.config import RouterConfig


def test_file_settings_override_the_defaults(tmp_path: Path) -> None:
    # given
    path = tmp_path / "router.toml"
    path.write_text(
        'supergraph = "other.graphql"\nport = 4100\ntimeout_seconds = 2.5\n'
        'forwarded_headers = ["Authorization", "X-Request-Id"]\n'
    )

    # when
    config = RouterConfig.from_file(path)

    # then
    assert config == RouterConfig(
        supergraph=Path("other.graphql"),
        host="127.0.0.1",
        port=4100,
        timeout_seconds=2.5,
        forwarded_headers=("authorization", "x-request-id"),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("prot = 4000\n", "unknown setting(s) prot"),
        ('port = "4000"\n', "port has the wrong type (str)"),
        ("timeout_seconds = true\n", "timeout_seconds has the wrong type (bool)"),
    ],
)
def test_bad_settings_are_named(tmp_path: Path, text: str, message: str) -> None:
    # given
    path = tmp_path / "router.toml"
    path.write_text(text)

    # when
    with pytest.raises(ValueError) as raised:
        RouterConfig.from_file(path)

    # then
    assert str(raised.value) == f"{path}: {message}"
