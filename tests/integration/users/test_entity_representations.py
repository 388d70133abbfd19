"""``_entities`` refuses representations it cannot resolve with BAD_USER_INPUT, each at
its own index, and still resolves the good ones beside them (shared/graphql.py)."""

from __future__ import annotations

from tests.fixtures.services import RunningService
from tests.fixtures.users import Shopper

QUERY_IDS = """
query Ids($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on User { id } }
}
"""


async def test_unresolvable_representations_are_bad_input(
    users_service: RunningService, shopper: Shopper
) -> None:
    # given
    representations = [
        {"__typename": "Nonsense", "id": "1"},
        {"__typename": "User", "id": shopper.user_id},
        {"__typename": "User"},
        {"__typename": "User", "id": shopper.user_id, "email": "x@example.com"},
        {"__typename": "UserAddress", "id": "1"},
        ["not", "an", "object"],
    ]

    # when
    body = await users_service.graphql(QUERY_IDS, {"representations": representations})

    # then
    assert body["data"] == {"_entities": [None, {"id": shopper.user_id}, None, None, None, None]}
    errors = body["errors"]
    assert [(e["path"], e["extensions"]["code"]) for e in errors] == [  # type: ignore[index]
        (["_entities", index], "BAD_USER_INPUT") for index in (0, 2, 3, 4, 5)
    ]
    assert errors[0]["message"] == "Nonsense is not an entity this subgraph resolves."  # type: ignore[index]
    assert errors[1]["message"] == "A User representation takes: id."  # type: ignore[index]
