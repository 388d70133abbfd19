"""The users subgraph's ASGI app: GraphQL, health, and the consumer of auth's events."""

from __future__ import annotations

from starlette.applications import Starlette

from shared.app import create_service_app
from shared.settings import Settings
from subgraphs.users import events
from subgraphs.users.schema import schema


def create_app(settings: Settings | None = None) -> Starlette:
    return create_service_app(
        "users",
        schema,
        settings or Settings.from_env(),
        subscriptions=[events.subscription],
    )
