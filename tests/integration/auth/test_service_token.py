"""serviceToken and `commerce service-token SERVICE`: a service trades its client id and
secret (from the settings) for a short-lived token with role ``service``, with which it
calls another subgraph directly."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace

import jwt
import pytest

from shared.auth.service_tokens import parse_credentials
from shared.auth.tokens import AccessClaims, TokenVerifier
from shared.settings import Settings
from tests.fixtures.cli import run_commerce
from tests.fixtures.graphql import errors_of
from tests.fixtures.products import ProductFactory, StockFactory
from tests.fixtures.services import RunningService, start_service

ORDERS_SECRET = "orders-" + "s" * 40
CREDENTIALS = f"orders:{ORDERS_SECRET}, carts:{'c' * 32}"

MUTATION_SERVICE_TOKEN = """
mutation($input: ServiceTokenInput!) { serviceToken(input: $input) { accessToken expiresIn } }
"""
QUERY_STOCK_CHECK = """
query($lines: [StockLineInput!]!) { stockCheck(lines: $lines) { available sufficient } }
"""


@pytest.fixture(scope="module")
async def auth_with_clients(settings: Settings) -> AsyncIterator[RunningService]:
    """An auth service that knows the orders and carts clients, on a database of its own
    (and the test session's signing key)."""
    own = replace(
        settings,
        database_prefix=f"{settings.database_prefix}clients_",
        service_credentials=CREDENTIALS,
    )
    service, stop = await start_service("auth", own)
    yield service
    await stop()


async def service_token(auth: RunningService, client_id: str, secret: str) -> dict[str, object]:
    variables = {"input": {"clientId": client_id, "secret": secret}}
    return await auth.graphql(MUTATION_SERVICE_TOKEN, variables)


async def test_a_client_with_its_secret_gets_a_five_minute_service_token(
    auth_with_clients: RunningService, token_verifier: TokenVerifier
) -> None:
    # when
    body = await service_token(auth_with_clients, "orders", ORDERS_SECRET)

    # then
    granted = body["data"]["serviceToken"]  # type: ignore[index]
    assert granted["expiresIn"] == 300
    token = granted["accessToken"]
    assert await token_verifier.verify(token) == AccessClaims(
        user_id="service:orders", email="", roles=frozenset({"service"})
    )
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 300


async def test_the_token_opens_the_stock_operations_of_products(
    auth_with_clients: RunningService,
    products_service: RunningService,
    product_factory: ProductFactory,
    stock_factory: StockFactory,
) -> None:
    # given
    product = await product_factory()
    await stock_factory(product.id, 4)
    body = await service_token(auth_with_clients, "orders", ORDERS_SECRET)
    token = body["data"]["serviceToken"]["accessToken"]  # type: ignore[index]

    # when
    checked = await products_service.graphql(
        QUERY_STOCK_CHECK, {"lines": [{"productId": product.id, "quantity": 5}]}, token=token
    )

    # then
    assert checked == {"data": {"stockCheck": [{"available": 4, "sufficient": False}]}}


@pytest.mark.parametrize(
    ("client_id", "secret"),
    [
        ("orders", "orders-" + "x" * 40),
        ("orders", ""),
        ("carts", ORDERS_SECRET),
        ("payments", ORDERS_SECRET),
    ],
)
async def test_a_wrong_secret_or_an_unknown_client_gets_no_token(
    auth_with_clients: RunningService, client_id: str, secret: str
) -> None:
    # when
    body = await service_token(auth_with_clients, client_id, secret)

    # then
    assert body["data"] is None
    assert errors_of(body) == [("INVALID_CREDENTIALS", "Invalid service credentials.", None)]


async def test_without_configured_clients_nobody_gets_a_token(
    auth_service: RunningService,
) -> None:
    # when
    body = await service_token(auth_service, "orders", ORDERS_SECRET)

    # then
    assert errors_of(body) == [("INVALID_CREDENTIALS", "Invalid service credentials.", None)]


async def test_the_mutation_is_hidden_from_the_router_api(auth_service: RunningService) -> None:
    # when
    body = await auth_service.graphql("{ _service { sdl } }")

    # then
    sdl = body["data"]["_service"]["sdl"]  # type: ignore[index]
    assert "serviceToken(input: ServiceTokenInput!): ServiceTokenPayload! @inaccessible" in sdl


def _auth_environment(settings: Settings, auth: RunningService) -> dict[str, str]:
    """Point the CLI at ``auth`` (auth listens on base port + 1) with the service credentials."""
    return {
        "COMMERCE_BASE_PORT": str(int(auth.url.rsplit(":", 1)[1]) - 1),
        "COMMERCE_SERVICE_CREDENTIALS": settings.service_credentials,
    }


async def test_an_operator_prints_a_service_token(
    auth_with_clients: RunningService, token_verifier: TokenVerifier
) -> None:
    # when
    code, out, err = await run_commerce(
        _auth_environment(auth_with_clients.settings, auth_with_clients), "service-token", "orders"
    )

    # then
    assert (code, err) == (0, "")
    claims = await token_verifier.verify(out.strip())
    assert (claims.user_id, claims.roles) == ("service:orders", frozenset({"service"}))


async def test_a_service_without_credentials_is_reported(
    auth_with_clients: RunningService,
) -> None:
    # when
    code, out, err = await run_commerce(
        _auth_environment(auth_with_clients.settings, auth_with_clients),
        "service-token",
        "payments",
    )

    # then
    assert (code, out, err) == (1, "", "error: COMMERCE_SERVICE_CREDENTIALS lacks payments\n")


def test_credentials_are_parsed_and_short_secrets_refused() -> None:
    # when
    parsed = parse_credentials(CREDENTIALS)
    with pytest.raises(ValueError) as error:
        parse_credentials("orders:short")

    # then
    assert parsed == {"orders": ORDERS_SECRET, "carts": "c" * 32}
    assert str(error.value) == (
        "service credentials entry 'orders' must be client_id:secret"
        " with a secret of at least 32 characters"
    )
