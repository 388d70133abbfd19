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


def test_settings_the_file_leaves_out_keep_the_base_values(tmp_path: Path) -> None:
    # given
    path = tmp_path / "router.toml"
    path.write_text("port = 4100\n")
    base = RouterConfig(host="0.0.0.0", port=24000)

    # when
    config = RouterConfig.from_file(path, base=base)

    # then
    assert config == RouterConfig(host="0.0.0.0", port=4100)


def test_plan_exposure_workers_and_subgraph_urls_are_read(tmp_path: Path) -> None:
    # given
    path = tmp_path / "router.toml"
    path.write_text(
        "workers = 3\nexpose_query_plan = true\n\n[subgraph_urls]\n"
        'auth = "http://auth:4001/graphql"\nusers = "http://users:4002/graphql"\n'
    )

    # when
    config = RouterConfig.from_file(path)

    # then
    assert config == RouterConfig(
        workers=3,
        expose_query_plan=True,
        subgraph_urls={"auth": "http://auth:4001/graphql", "users": "http://users:4002/graphql"},
    )


def test_new_settings_default_to_one_worker_no_plan_and_no_overrides(tmp_path: Path) -> None:
    # given
    path = tmp_path / "router.toml"
    path.write_text("port = 4100\n")

    # when
    config = RouterConfig.from_file(path)

    # then
    assert (config.workers, config.expose_query_plan, config.subgraph_urls) == (1, False, {})


def test_json_round_trip_keeps_every_setting() -> None:
    """Worker processes get the settings back from JSON."""
    # given
    config = RouterConfig(
        supergraph=Path("other.graphql"),
        host="0.0.0.0",
        port=4100,
        workers=2,
        timeout_seconds=2.5,
        forwarded_headers=("authorization", "x-request-id"),
        expose_query_plan=True,
        subgraph_urls={"auth": "http://auth:4001/graphql"},
    )

    # when
    again = RouterConfig.from_json(config.to_json(), source="env")

    # then
    assert again == config


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("prot = 4000\n", "unknown setting(s) prot"),
        ('port = "4000"\n', "port has the wrong type (str)"),
        ("timeout_seconds = true\n", "timeout_seconds has the wrong type (bool)"),
        ('expose_query_plan = "yes"\n', "expose_query_plan has the wrong type (str)"),
        ("workers = 0\n", "workers must be at least 1 (got 0)"),
        ('subgraph_urls = "auth"\n', "subgraph_urls has the wrong type (str)"),
        ("[subgraph_urls]\nauth = 4001\n", "subgraph_urls.auth has the wrong type (int)"),
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
