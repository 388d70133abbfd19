from __future__ import annotations

from subgraphs.users import service
from tests.fixtures.graphql import errors_of
from tests.fixtures.services import RunningService
from tests.fixtures.users import NOTHING_OWNED, Shopper, owned_rows
from tests.integration.users.operations import MUTATION_PREFERENCE_DELETE


async def test_customer_deletes_their_preference(
    users_service: RunningService, shopper: Shopper
) -> None:
    # given
    async with users_service.sessions() as db:
        await service.set_preference(db, shopper.user_id, "theme", "dark")

    # when
    variables = {"input": {"key": "theme"}}
    body = await users_service.graphql(MUTATION_PREFERENCE_DELETE, variables, token=shopper.token)

    # then
    assert body == {"data": {"preferenceDelete": {"deletedKey": "theme"}}}
    assert await owned_rows(users_service.sessions, shopper.user_id) == NOTHING_OWNED


async def test_key_only_another_user_has_is_not_found(
    users_service: RunningService, shopper: Shopper, other_shopper: Shopper
) -> None:
    # given
    async with users_service.sessions() as db:
        await service.set_preference(db, other_shopper.user_id, "theme", "dark")

    # when
    variables = {"input": {"key": "theme"}}
    body = await users_service.graphql(MUTATION_PREFERENCE_DELETE, variables, token=shopper.token)

    # then
    assert errors_of(body) == [("NOT_FOUND", "Preference not found.", "key")]
    assert await owned_rows(users_service.sessions, other_shopper.user_id) == {
        **NOTHING_OWNED,
        "user_preferences": 1,
    }
