from __future__ import annotations

import httpx

from shared.auth.tokens import RemoteJwks, SigningKey, TokenVerifier
from shared.settings import Settings
from tests.fixtures.auth import Account
from tests.fixtures.services import RunningService


async def test_jwks_publishes_the_signing_key(
    auth_service: RunningService, signing_key: SigningKey
) -> None:
    # when
    async with httpx.AsyncClient(base_url=auth_service.url) as client:
        response = await client.get("/.well-known/jwks.json")

    # then
    assert response.status_code == 200
    assert response.json() == {"keys": [signing_key.public_jwk()]}


async def test_other_services_verify_access_tokens_with_the_jwks(
    auth_service: RunningService, customer: Account, settings: Settings
) -> None:
    # given
    verifier = TokenVerifier(
        RemoteJwks(f"{auth_service.url}/.well-known/jwks.json"),
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
    )

    # when
    claims = await verifier.verify(customer.access_token)

    # then
    assert (claims.user_id, claims.email, claims.roles) == (
        customer.id,
        customer.email,
        frozenset({"customer"}),
    )
