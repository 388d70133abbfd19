"""Service tokens: how one service calls another subgraph directly, outside the router
(orders calling products' ``stockReserve``, say).

A service is a client of the auth service. Its client id (its name) and secret come
from ``COMMERCE_SERVICE_CREDENTIALS``; it trades them through auth's ``serviceToken``
mutation (``@inaccessible``: the router's API schema leaves it out) for a short-lived
access token with role ``service``. Only auth holds the signing key and every client's
secret; every other service holds its own secret alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

# Secrets are generated (``secrets.token_urlsafe(32)``), never chosen by a person.
MIN_SECRET_LENGTH = 32

MUTATION_SERVICE_TOKEN = """
mutation ServiceToken($input: ServiceTokenInput!) {
  serviceToken(input: $input) { accessToken expiresIn }
}
"""


@dataclass(frozen=True)
class ServiceToken:
    access_token: str
    expires_in: int


class ServiceTokenError(Exception):
    """The auth service did not hand out a token: unreachable, or it refused."""


def parse_credentials(raw: str) -> dict[str, str]:
    """``"orders:SECRET,carts:SECRET"`` as {client id: secret}; ValueError when an entry
    is not ``id:secret`` or its secret is shorter than ``MIN_SECRET_LENGTH``."""
    credentials: dict[str, str] = {}
    for entry in filter(None, (part.strip() for part in raw.split(","))):
        client_id, _, secret = entry.partition(":")
        if not client_id or len(secret) < MIN_SECRET_LENGTH:
            raise ValueError(
                f"service credentials entry {client_id or entry[:8]!r} must be"
                f" client_id:secret with a secret of at least {MIN_SECRET_LENGTH} characters"
            )
        credentials[client_id] = secret
    return credentials


async def fetch_service_token(auth_url: str, client_id: str, secret: str) -> ServiceToken:
    """Ask the auth service at ``auth_url`` (its /graphql endpoint) for a service token."""
    variables = {"input": {"clientId": client_id, "secret": secret}}
    try:
        async with httpx.AsyncClient(timeout=10.0) as client:
            response = await client.post(
                auth_url, json={"query": MUTATION_SERVICE_TOKEN, "variables": variables}
            )
        body = response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise ServiceTokenError(f"the auth service at {auth_url} did not answer: {error}") from None
    if body.get("errors") or not body.get("data"):
        message = (body.get("errors") or [{"message": "no data"}])[0]["message"]
        raise ServiceTokenError(f"the auth service refused: {message}")
    granted = body["data"]["serviceToken"]
    return ServiceToken(access_token=granted["accessToken"], expires_in=granted["expiresIn"])
