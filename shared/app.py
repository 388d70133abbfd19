"""The Starlette app every subgraph runs: /graphql, /health, and a lifespan that owns
the database engine, the outbox relay and the event consumers."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable, Mapping, Sequence
from datetime import timedelta
from typing import Any

import strawberry
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.auth.tokens import RemoteJwks, TokenVerifier
from shared.database import create_engine, new_id, session_factory
from shared.events.consumer import EventConsumer, Subscription
from shared.events.kafka import KafkaPublisher
from shared.events.relay import OutboxRelay
from shared.graphql import GraphQLView
from shared.settings import Settings

log = logging.getLogger(__name__)

# A job that runs beside the service for as long as it runs, e.g. a periodic cleanup.
BackgroundTask = Callable[[async_sessionmaker[AsyncSession]], Coroutine[Any, Any, None]]


def create_service_app(
    service: str,
    schema: strawberry.federation.Schema,
    settings: Settings,
    *,
    subscriptions: Sequence[Subscription] = (),
    verifier: TokenVerifier | None = None,
    extras: Mapping[str, Any] | None = None,
    routes: Sequence[BaseRoute] = (),
    background: Sequence[BackgroundTask] = (),
) -> Starlette:
    """Build one subgraph's ASGI app.

    ``extras`` are service-specific dependencies (the auth service's token issuer, say)
    that resolvers read from ``info.context.extras``; ``background`` jobs run from startup to
    shutdown, given the service's sessions.
    """
    verifier = verifier or TokenVerifier(
        RemoteJwks(settings.jwks_endpoint()),
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Any]]:
        engine = create_engine(settings, service)
        sessions = session_factory(engine)
        publisher = KafkaPublisher(settings.kafka_servers())
        relay = OutboxRelay(
            sessions,
            publisher,
            poll_seconds=settings.outbox_poll_seconds,
            retention=timedelta(seconds=settings.outbox_retention_seconds),
        )
        consumers = [
            EventConsumer(
                subscription,
                sessions=sessions,
                servers=settings.kafka_servers(),
                publisher=publisher,
                max_attempts=settings.consumer_max_attempts,
                backoff_seconds=settings.consumer_retry_backoff_seconds,
            )
            for subscription in subscriptions
        ]
        tasks = [asyncio.create_task(relay.run(), name=f"{service}-outbox-relay")]
        tasks += [asyncio.create_task(c.run(), name=f"{service}-consumer") for c in consumers]
        tasks += [asyncio.create_task(job(sessions), name=f"{service}-job") for job in background]
        try:
            yield {
                "service": service,
                "settings": settings,
                "sessions": sessions,
                "verifier": verifier,
                "extras": dict(extras or {}),
                "relay": relay,
                "consumers": consumers,
            }
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await publisher.close()
            await engine.dispose()

    graphql = GraphQLView(schema)
    app = Starlette(
        routes=[
            Route("/health", health, methods=["GET"]),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            *routes,
        ],
        lifespan=lifespan,
    )
    app.add_middleware(RequestSessionMiddleware)
    return app


async def health(request: Request) -> JSONResponse:
    """200 when the service can reach its database, 503 otherwise.

    Event delivery problems are reported but do not make the service unhealthy: the
    outbox keeps events until the broker is back.
    """
    state = request.state
    body: dict[str, Any] = {
        "status": "ok",
        "service": state.service,
        "events": _event_health(state),
    }
    try:
        async with state.sessions() as db:
            await asyncio.wait_for(db.execute(text("SELECT 1")), timeout=2.0)
    except Exception as exc:  # whatever broke, the answer is the same: unavailable
        log.warning("health check failed: %s", exc)
        return JSONResponse({**body, "status": "unavailable"}, status_code=503)
    return JSONResponse(body)


def _event_health(state: Any) -> dict[str, Any]:
    relay: OutboxRelay = state.relay
    consumers: list[EventConsumer] = state.consumers
    return {
        "relayError": relay.last_error,
        "consumers": [
            {
                "topics": c.subscription.topics,
                "running": c.running,
                "lastError": c.last_error,
                "deadLettered": c.dead_lettered,
            }
            for c in consumers
        ],
    }


class RequestSessionMiddleware:
    """Gives each HTTP request an id (``X-Request-Id``) and a database session that is
    closed, and so rolled back unless a service committed, when the response is sent."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        request_id = _request_id(scope)
        state["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        async with state["sessions"]() as db:
            state["db"] = db
            await self.app(scope, receive, send_with_id)


def _request_id(scope: Scope) -> str:
    headers: Iterable[tuple[bytes, bytes]] = scope.get("headers", [])
    for name, value in headers:
        if name == b"x-request-id" and 0 < len(value) <= 128:
            return value.decode("latin-1")
    return new_id()
