"""compose.yaml's router: the checked-in supergraph with every subgraph's URL replaced
by its compose service, started once those services are healthy."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import yaml

from router.app import create_router_app
from router.config import RouterConfig
from router.supergraph import load_supergraph
from shared.runtime.platform import SUPERGRAPH_FILE
from shared.settings import Settings

COMPOSE_FILE = Path(__file__).resolve().parents[2] / "compose.yaml"


def _services() -> dict[str, Any]:
    services: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text())["services"]
    return services


def _router_config() -> RouterConfig:
    text = _services()["router"]["environment"]["ROUTER_TOML"]
    return RouterConfig.from_dict(tomllib.loads(text), source="compose.yaml")


def test_router_reaches_every_subgraph_by_its_service_name() -> None:
    # given
    subgraphs = load_supergraph(SUPERGRAPH_FILE.read_text()).subgraph_urls
    settings = Settings()

    # when
    config = _router_config()

    # then
    assert config.subgraph_urls == {
        name: f"http://{name}:{settings.port_of(name)}/graphql" for name in subgraphs
    }
    assert set(subgraphs) <= set(_services())


def test_router_config_fits_the_checked_in_supergraph() -> None:
    # given
    config = _router_config()

    # when
    app = create_router_app(SUPERGRAPH_FILE.read_text(), subgraph_urls=config.subgraph_urls)

    # then
    assert app.state.expose_query_plan is False
    assert (config.host, config.port) == ("0.0.0.0", 4000)


def test_router_starts_after_every_subgraph_is_healthy() -> None:
    # given
    subgraphs = load_supergraph(SUPERGRAPH_FILE.read_text()).subgraph_urls
    services = _services()

    # when
    router = services["router"]

    # then
    assert router["depends_on"] == {name: {"condition": "service_healthy"} for name in subgraphs}
    assert all("test" in services[name]["healthcheck"] for name in subgraphs)
    assert router["ports"] == ["127.0.0.1:4000:4000"]
    assert "--config /tmp/router.toml" in router["command"][-1]
