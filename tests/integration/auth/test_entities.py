from __future__ import annotations

from typing import Any

from shared.auth.tokens import TokenVerifier
from shared.settings import Settings
from subgraphs.auth.schema import schema
from tests.fixtures.auth import Account, AccountFactory
from tests.fixtures.graphql import count_statements, errors_of, execute
from tests.fixtures.services import RunningService

QUERY_USER_ENTITIES = """
query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on User { id email roles } }
}
"""
QUERY_USER_IDS = """
query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on User { id } }
}
"""


def representations(*ids: str) -> dict[str, Any]:
    return {"representations": [{"__typename": "User", "id": user_id} for user_id in ids]}


async def test_sdl_declares_the_user_entity(auth_service: RunningService) -> None:
    # when
    body = await auth_service.graphql("{ _service { sdl } }")

    # then
    assert 'type User @key(fields: "id")' in body["data"]["_service"]["sdl"]


async def test_n_users_resolve_in_one_statement(
    auth_service: RunningService,
    account_factory: AccountFactory,
    admin: Account,
    settings: Settings,
    token_verifier: TokenVerifier,
) -> None:
    # given
    accounts = [await account_factory() for _ in range(4)]
    missing = "00000000-0000-0000-0000-000000000000"
    ids = [accounts[2].id, missing, accounts[0].id, accounts[3].id, accounts[1].id]

    # when
    async with auth_service.sessions() as db:
        with count_statements(auth_service.engine) as statements:
            result = await execute(
                schema,
                QUERY_USER_ENTITIES,
                db=db,
                settings=settings,
                verifier=token_verifier,
                variables=representations(*ids),
                token=admin.access_token,
            )

    # then
    assert result.errors is None
    by_id = {a.id: {"id": a.id, "email": a.email, "roles": ["customer"]} for a in accounts}
    assert result.data == {"_entities": [by_id.get(user_id) for user_id in ids]}
    assert statements.count == 1


async def test_a_user_reads_their_own_entity(
    auth_service: RunningService, customer: Account
) -> None:
    # when
    body = await auth_service.graphql(
        QUERY_USER_ENTITIES, representations(customer.id), token=customer.access_token
    )

    # then
    assert body == {
        "data": {"_entities": [{"id": customer.id, "email": customer.email, "roles": ["customer"]}]}
    }


async def test_support_reads_anyones_entity(
    auth_service: RunningService, customer: Account, support_agent: Account
) -> None:
    # when
    body = await auth_service.graphql(
        QUERY_USER_ENTITIES, representations(customer.id), token=support_agent.access_token
    )

    # then
    assert body == {
        "data": {"_entities": [{"id": customer.id, "email": customer.email, "roles": ["customer"]}]}
    }


async def test_another_customer_cannot_read_a_users_email(
    auth_service: RunningService, customer: Account, account_factory: AccountFactory
) -> None:
    # given
    stranger = await account_factory()

    # when
    body = await auth_service.graphql(
        QUERY_USER_ENTITIES, representations(customer.id), token=stranger.access_token
    )

    # then
    assert body["data"] == {"_entities": [None]}
    message = "Only the user themself and staff can read this user's account."
    assert errors_of(body) == [("FORBIDDEN", message, None)]


async def test_anonymous_callers_get_only_the_id(
    auth_service: RunningService, customer: Account
) -> None:
    # when
    ids = await auth_service.graphql(QUERY_USER_IDS, representations(customer.id))
    email = await auth_service.graphql(QUERY_USER_ENTITIES, representations(customer.id))

    # then
    assert ids == {"data": {"_entities": [{"id": customer.id}]}}
    assert email["data"] == {"_entities": [None]}
    assert errors_of(email) == [("UNAUTHENTICATED", "Authentication required.", None)]
