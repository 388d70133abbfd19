"""The users subgraph's ASGI app: GraphQL, health, and the consumer of auth's and
products' events. Resolvers find the payment token keyring in ``extras``."""

from __future__ import annotations

from starlette.applications import Starlette

from shared.app import create_service_app
from shared.settings import Settings
from subgraphs.users import events
from subgraphs.users.keys import payment_token_keyring
from subgraphs.users.schema import schema


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    return create_service_app(
        "users",
        schema,
        settings,
        subscriptions=[events.subscription],
        extras={"payment_tokens": payment_token_keyring(settings)},
    )
