"""The products subgraph's ASGI app: GraphQL, health, the outbox relay, the consumer of
orders' events, and the sweep that expires stock reservations."""

from __future__ import annotations

from starlette.applications import Starlette

from shared.app import create_service_app
from shared.settings import Settings
from subgraphs.products import events, reservations
from subgraphs.products.schema import schema


def create_app(settings: Settings | None = None) -> Starlette:
    return create_service_app(
        "products",
        schema,
        settings or Settings.from_env(),
        subscriptions=[events.subscription],
        background=[reservations.sweep_expired],
    )
