from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization

from shared.auth.tokens import SigningKey
from shared.database import utcnow
from tests.fixtures.auth import Account, TokenMinter
from tests.fixtures.graphql import errors_of
from tests.fixtures.services import RunningService

QUERY_ME = "{ me { id email roles emailVerified isActive } }"

MALFORMED = "The access token is malformed."
NOT_ACCEPTED = "The access token is not signed with an accepted key."
INVALID = "The access token is invalid."
EXPIRED = "The access token has expired."


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _segments(header: dict[str, Any], claims: dict[str, Any]) -> str:
    def encode(part: dict[str, Any]) -> str:
        return _b64(json.dumps(part, default=lambda d: int(d.timestamp())).encode())

    return f"{encode(header)}.{encode(claims)}"


def _claims(account: Account) -> dict[str, Any]:
    now = utcnow()
    return {
        "sub": account.id,
        "email": account.email,
        "roles": ["admin"],
        "iss": "commerce-auth",
        "aud": "commerce",
        "iat": now,
        "exp": now + timedelta(minutes=5),
    }


def unsigned(account: Account, key: SigningKey) -> str:
    return _segments({"alg": "none", "typ": "JWT", "kid": key.kid}, _claims(account)) + "."


def hmac_with_public_key(account: Account, key: SigningKey) -> str:
    """The classic confusion attack: HS256 keyed with the verifier's public key."""
    public_pem = key.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    signing_input = _segments({"alg": "HS256", "typ": "JWT", "kid": key.kid}, _claims(account))
    signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


BadToken = Callable[[Account, TokenMinter, SigningKey], str]


@pytest.mark.parametrize(
    ("make_token", "message"),
    [
        pytest.param(
            lambda a, mint, key: mint(a.id, exp=utcnow() - timedelta(seconds=1)),
            EXPIRED,
            id="expired",
        ),
        pytest.param(
            lambda a, mint, key: mint(a.id, key=SigningKey.generate()), INVALID, id="forged"
        ),
        pytest.param(lambda a, mint, key: unsigned(a, key), NOT_ACCEPTED, id="alg-none"),
        pytest.param(
            lambda a, mint, key: hmac_with_public_key(a, key), NOT_ACCEPTED, id="hs256-public-key"
        ),
        pytest.param(lambda a, mint, key: mint(a.id, aud="elsewhere"), INVALID, id="audience"),
        pytest.param(lambda a, mint, key: mint(a.id, iss="someone-else"), INVALID, id="issuer"),
        pytest.param(lambda a, mint, key: "garbage", MALFORMED, id="garbage"),
    ],
)
async def test_bad_access_token_is_unauthenticated(
    auth_service: RunningService,
    customer: Account,
    mint_token: TokenMinter,
    signing_key: SigningKey,
    make_token: BadToken,
    message: str,
) -> None:
    # given
    token = make_token(customer, mint_token, signing_key)

    # when
    body = await auth_service.graphql(QUERY_ME, token=token)

    # then
    assert body["data"] == {"me": None}
    assert errors_of(body) == [("UNAUTHENTICATED", message, None)]


async def test_me_returns_the_signed_in_user(
    auth_service: RunningService, customer: Account
) -> None:
    # when
    body = await auth_service.graphql(QUERY_ME, token=customer.access_token)

    # then
    assert body == {
        "data": {
            "me": {
                "id": customer.id,
                "email": customer.email,
                "roles": ["customer"],
                "emailVerified": False,
                "isActive": True,
            }
        }
    }


async def test_me_without_a_token_is_unauthenticated(auth_service: RunningService) -> None:
    # when
    body = await auth_service.graphql(QUERY_ME)

    # then
    assert body["data"] == {"me": None}
    assert errors_of(body) == [("UNAUTHENTICATED", "Authentication required.", None)]


async def test_a_token_minted_with_the_service_key_is_accepted(
    auth_service: RunningService, customer: Account, mint_token: TokenMinter
) -> None:
    # when
    body = await auth_service.graphql("{ me { id } }", token=mint_token(customer.id))

    # then
    assert body == {"data": {"me": {"id": customer.id}}}
