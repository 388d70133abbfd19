from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from subgraphs.products import categories, models
from subgraphs.products.errors import ProductError
from tests.fixtures.graphql import errors_of
from tests.fixtures.products import Caller, CategoryFactory, category_rows, race
from tests.fixtures.services import RunningService

Rows = dict[str, tuple[str | None, int, str]]

MUTATION_CATEGORY_MOVE = """
mutation Move($id: ID!, $parentId: ID) {
  categoryMove(input: {id: $id, parentId: $parentId}) {
    category { level breadcrumbs { name } }
  }
}
"""


async def tree(
    category_factory: CategoryFactory,
) -> tuple[models.Category, models.Category, models.Category, models.Category]:
    """root > branch > leaf, and another root."""
    root = await category_factory(name="Root")
    branch = await category_factory(name="Branch", parent=root)
    leaf = await category_factory(name="Leaf", parent=branch)
    other = await category_factory(name="Other")
    return root, branch, leaf, other


async def test_moving_a_category_moves_its_whole_subtree(
    products_service: RunningService,
    products_db: async_sessionmaker[AsyncSession],
    catalog_admin: Caller,
    category_factory: CategoryFactory,
) -> None:
    # given
    root, branch, leaf, other = await tree(category_factory)

    # when
    body = await products_service.graphql(
        MUTATION_CATEGORY_MOVE, {"id": branch.id, "parentId": other.id}, token=catalog_admin.token
    )

    # then
    assert body == {
        "data": {
            "categoryMove": {
                "category": {"level": 1, "breadcrumbs": [{"name": "Other"}, {"name": "Branch"}]}
            }
        }
    }
    assert await category_rows(products_db, root.id, branch.id, leaf.id) == {
        root.id: (None, 0, f"{root.id}/"),
        branch.id: (other.id, 1, f"{other.id}/{branch.id}/"),
        leaf.id: (branch.id, 2, f"{other.id}/{branch.id}/{leaf.id}/"),
    }


async def test_moving_to_the_top_makes_a_root(
    products_service: RunningService,
    products_db: async_sessionmaker[AsyncSession],
    catalog_admin: Caller,
    category_factory: CategoryFactory,
) -> None:
    # given
    _, branch, leaf, _ = await tree(category_factory)

    # when
    await products_service.graphql(
        MUTATION_CATEGORY_MOVE, {"id": branch.id, "parentId": None}, token=catalog_admin.token
    )

    # then
    assert await category_rows(products_db, branch.id, leaf.id) == {
        branch.id: (None, 0, f"{branch.id}/"),
        leaf.id: (branch.id, 1, f"{branch.id}/{leaf.id}/"),
    }


async def test_moving_under_itself_or_a_descendant_is_a_cycle_and_changes_nothing(
    products_service: RunningService,
    products_db: async_sessionmaker[AsyncSession],
    catalog_admin: Caller,
    category_factory: CategoryFactory,
) -> None:
    # given
    root, branch, leaf, _ = await tree(category_factory)
    before = await category_rows(products_db, root.id, branch.id, leaf.id)

    # when
    bodies = [
        await products_service.graphql(
            MUTATION_CATEGORY_MOVE, {"id": root.id, "parentId": target}, token=catalog_admin.token
        )
        for target in (leaf.id, root.id)
    ]

    # then
    cycle = (
        "CATEGORY_CYCLE",
        "A category cannot move under itself or one of its descendants.",
        "parentId",
    )
    assert [errors_of(body) for body in bodies] == [[cycle], [cycle]]
    assert await category_rows(products_db, root.id, branch.id, leaf.id) == before


async def test_moving_under_an_unknown_parent_is_not_found(
    products_service: RunningService, catalog_admin: Caller, category: models.Category
) -> None:
    # when
    body = await products_service.graphql(
        MUTATION_CATEGORY_MOVE, {"id": category.id, "parentId": "nope"}, token=catalog_admin.token
    )

    # then
    assert errors_of(body) == [("NOT_FOUND", "Category not found.", "id")]


def move(category: models.Category, parent: models.Category) -> Callable[..., Awaitable[object]]:
    def run(db: AsyncSession) -> Awaitable[models.Category]:
        return categories.move_category(db, category.id, parent.id, actor="test")

    return run


def derived(rows: Rows) -> Rows:
    """The rows with each level and path as their parent links say they must be."""

    def place(category_id: str) -> tuple[int, str]:
        parent_id = rows[category_id][0]
        if parent_id is None:
            return 0, f"{category_id}/"
        level, path = place(parent_id)
        return level + 1, f"{path}{category_id}/"

    return {key: (parent_id, *place(key)) for key, (parent_id, _, _) in rows.items()}


async def test_two_moves_of_one_subtree_apply_one_after_the_other(
    products_db: async_sessionmaker[AsyncSession], category_factory: CategoryFactory
) -> None:
    # given
    root, branch, leaf, other = await tree(category_factory)
    third = await category_factory(name="Third")

    # when
    first, second = await race(products_db, move(branch, other), move(branch, third))

    # then
    assert (first.parent_id, second.parent_id) == (other.id, third.id)
    rows = await category_rows(products_db, root.id, branch.id, leaf.id, other.id, third.id)
    assert rows[leaf.id] == (branch.id, 2, f"{third.id}/{branch.id}/{leaf.id}/")
    assert rows == derived(rows)


async def test_crossed_moves_cannot_make_a_cycle(
    products_db: async_sessionmaker[AsyncSession], category_factory: CategoryFactory
) -> None:
    # given
    root, branch, leaf, other = await tree(category_factory)

    # when
    first, second = await race(products_db, move(root, other), move(other, leaf))

    # then
    assert first.parent_id == other.id
    assert isinstance(second, ProductError) and second.code == "CATEGORY_CYCLE"
    rows = await category_rows(products_db, root.id, branch.id, leaf.id, other.id)
    assert rows[leaf.id] == (branch.id, 3, f"{other.id}/{root.id}/{branch.id}/{leaf.id}/")
    assert rows == derived(rows)


async def test_a_category_moved_into_a_subtree_that_moves_keeps_a_true_path(
    products_db: async_sessionmaker[AsyncSession], category_factory: CategoryFactory
) -> None:
    # given: the first move locks the branch it moves under, which the second move's
    # subtree rewrite has to pass
    root, branch, leaf, other = await tree(category_factory)
    stray = await category_factory(name="Stray")

    # when
    await race(products_db, move(stray, branch), move(root, other))

    # then
    rows = await category_rows(products_db, root.id, branch.id, leaf.id, other.id, stray.id)
    assert rows[stray.id] == (branch.id, 3, f"{other.id}/{root.id}/{branch.id}/{stray.id}/")
    assert rows == derived(rows)
