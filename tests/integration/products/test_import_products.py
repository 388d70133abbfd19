"""The product importer: upsert by SKU, the catalog's rules per row, one event per change."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.database import new_id
from shared.events.outbox import OUTBOX
from subgraphs.products import models, search
from subgraphs.products.import_rows import ImportFormat, SourceRow
from subgraphs.products.importer import (
    ImportReport,
    RejectedRow,
    import_content,
    import_products,
)
from tests.fixtures.products import CategoryFactory, product_snapshot


def unique_sku() -> str:
    return f"IMP-{new_id()[:8].upper()}"


async def run_import(
    sessions: async_sessionmaker[AsyncSession],
    content: str,
    format: ImportFormat = ImportFormat.CSV,
) -> ImportReport:
    async with sessions() as db:
        return await import_content(db, content, format, actor="importer")


async def by_sku(sessions: async_sessionmaker[AsyncSession], sku: str) -> models.Product | None:
    async with sessions() as db:
        return await db.scalar(select(models.Product).where(models.Product.sku == sku))


async def events_of(sessions: async_sessionmaker[AsyncSession], product_id: str) -> list[str]:
    async with sessions() as db:
        stmt = select(OUTBOX.c.type).where(OUTBOX.c.key == product_id).order_by(OUTBOX.c.id)
        return list(await db.scalars(stmt))


async def links_of(
    sessions: async_sessionmaker[AsyncSession], product_id: str
) -> tuple[list[str], list[str]]:
    """The product's (category ids, tags), sorted."""
    async with sessions() as db:
        category_ids = await db.scalars(
            select(models.ProductCategory.category_id)
            .where(models.ProductCategory.product_id == product_id)
            .order_by(models.ProductCategory.category_id)
        )
        tags = await db.scalars(
            select(models.ProductTag.tag)
            .where(models.ProductTag.product_id == product_id)
            .order_by(models.ProductTag.tag)
        )
        return list(category_ids), list(tags)


async def test_valid_rows_create_products_in_their_categories_with_one_event_each(
    products_db: async_sessionmaker[AsyncSession], category_factory: CategoryFactory
) -> None:
    # given
    root = await category_factory(slug=f"root-{new_id()[:8]}")
    leaf = await category_factory(slug=f"leaf-{new_id()[:8]}", parent=root)
    mug, lamp = unique_sku(), unique_sku()
    red = '"{""colour"": ""red""}"'
    content = (
        "sku,name,price,categories,tags,status,attributes,is_visible\n"
        f"{mug},Stoneware Mug,12.50,{root.slug}/{leaf.slug},Kitchen|gift,active,{red},yes\n"
        f"{lamp},Desk Lamp,40,{root.slug},,,,\n"
    )

    # when
    report = await run_import(products_db, content)

    # then
    assert report == ImportReport(created=2)
    created = await by_sku(products_db, mug)
    assert created is not None
    assert (created.name, created.price, created.status, created.attributes) == (
        "Stoneware Mug",
        Decimal("12.50"),
        "active",
        {"colour": "red"},
    )
    assert (created.slug, created.is_visible, created.published_at is not None) == (
        "stoneware-mug",
        True,
        True,
    )
    assert await links_of(products_db, created.id) == ([leaf.id], ["gift", "kitchen"])
    assert await events_of(products_db, created.id) == ["product.created"]
    draft = await by_sku(products_db, lamp)
    assert draft is not None and (draft.status, draft.published_at) == ("draft", None)


async def test_the_same_file_again_changes_nothing_and_emits_nothing(
    products_db: async_sessionmaker[AsyncSession], category_factory: CategoryFactory
) -> None:
    # given
    shelf = await category_factory(slug=f"shelf-{new_id()[:8]}")
    sku = unique_sku()
    content = f"sku,name,price,categories,tags\n{sku},Tea Pot,30.00,{shelf.slug},tea\n"
    await run_import(products_db, content)
    product = await by_sku(products_db, sku)
    assert product is not None
    before = await product_snapshot(products_db, product.id)

    # when
    report = await run_import(products_db, content)

    # then
    assert report == ImportReport(unchanged=1)
    assert await product_snapshot(products_db, product.id) == before
    assert await events_of(products_db, product.id) == ["product.created"]


async def test_a_changed_row_updates_its_product_and_keeps_what_the_row_leaves_out(
    products_db: async_sessionmaker[AsyncSession], category_factory: CategoryFactory
) -> None:
    # given
    shelf = await category_factory(slug=f"shelf-{new_id()[:8]}")
    sku = unique_sku()
    await run_import(
        products_db,
        f"sku,name,price,categories,tags,description\n"
        f"{sku},Tea Pot,30.00,{shelf.slug},tea,Holds a litre.\n",
    )

    # when
    report = await run_import(products_db, f"sku,name,price\n{sku},Tea Pot,27.50\n")

    # then
    assert report == ImportReport(updated=1)
    product = await by_sku(products_db, sku)
    assert product is not None
    assert (product.price, product.description) == (Decimal("27.50"), "Holds a litre.")
    assert await links_of(products_db, product.id) == ([shelf.id], ["tea"])
    assert await events_of(products_db, product.id) == ["product.created", "product.updated"]


async def found_by(
    sessions: async_sessionmaker[AsyncSession], text: str, category_id: str
) -> list[str]:
    """The SKUs a staff search for ``text`` in the category finds, by name."""
    criteria = search.ProductFilter(text=text, category_id=category_id)
    async with sessions() as db:
        page = await search.search_products(
            db, search.product_search(criteria, staff=True), search.ProductSort.PRICE_ASC, first=10
        )
    return [product.sku for product in page.products]


async def test_imported_tags_become_search_words_of_their_products(
    products_db: async_sessionmaker[AsyncSession], category_factory: CategoryFactory
) -> None:
    # given
    shelf = await category_factory(slug=f"shelf-{new_id()[:8]}")
    mug, pot = unique_sku(), unique_sku()
    await run_import(
        products_db,
        f"sku,name,price,categories,tags\n{mug},Mug,5,{shelf.slug},gift|kitchen\n"
        f"{pot},Pot,9,{shelf.slug},kitchen|garden\n",
    )

    # when
    report = await run_import(
        products_db, f"sku,name,price,tags\n{mug},Mug,5,winter\n{pot},Pot,9,kitchen|garden\n"
    )

    # then
    assert report == ImportReport(updated=1, unchanged=1)
    assert await found_by(products_db, "winter", shelf.id) == [mug]
    assert await found_by(products_db, "kitchen", shelf.id) == [pot]
    assert await found_by(products_db, "gifts", shelf.id) == []


async def test_the_events_of_an_import_follow_the_file_order(
    products_db: async_sessionmaker[AsyncSession], category_factory: CategoryFactory
) -> None:
    # given
    shelf = await category_factory(slug=f"shelf-{new_id()[:8]}")
    skus = [unique_sku() for _ in range(4)]
    content = "sku,name,price,categories\n" + "".join(
        f"{sku},Item {number},5,{shelf.slug}\n" for number, sku in enumerate(skus)
    )

    # when
    await run_import(products_db, content)

    # then
    products = [await by_sku(products_db, sku) for sku in skus]
    ids = [product.id for product in products if product is not None]
    async with products_db() as db:
        stmt = select(OUTBOX.c.key).where(OUTBOX.c.key.in_(ids)).order_by(OUTBOX.c.id)
        assert list(await db.scalars(stmt)) == ids


async def test_bad_rows_are_reported_with_line_and_reason_and_write_nothing(
    products_db: async_sessionmaker[AsyncSession], category_factory: CategoryFactory
) -> None:
    # given
    shelf = await category_factory(slug=f"shelf-{new_id()[:8]}")
    skus = [unique_sku() for _ in range(7)]
    good = unique_sku()
    content = (
        "sku,name,price,compare_at_price,categories,status\n"
        f"{skus[0]},Free Lunch,0,,{shelf.slug},\n"
        f"{skus[1]},,5,,{shelf.slug},\n"
        f"{skus[2]},Lost,5,,no-such-category,\n"
        "bad sku!,Odd,5,,{shelf},\n".replace("{shelf}", shelf.slug)
        + f"{skus[3]},Cheap,5,4,{shelf.slug},\n"
        f"{skus[4]},Limbo,5,,{shelf.slug},sold\n"
        f"{skus[5]},Homeless,5,,,\n"
        f"{skus[6]},Too,many,cells,{shelf.slug},,\n"
        f"{good},Fine,5,,{shelf.slug},\n"
    )

    # when
    report = await run_import(products_db, content)

    # then
    assert report.rejected_rows == [
        RejectedRow(2, "INVALID_PRICE", "price must be greater than 0.", "price"),
        RejectedRow(3, "BAD_USER_INPUT", "name is required.", "name"),
        RejectedRow(4, "NOT_FOUND", "Category 'no-such-category' not found.", "categories"),
        RejectedRow(
            5,
            "BAD_USER_INPUT",
            "sku must be 1 to 64 letters, digits or . _ - / (starting with a letter or digit).",
            "sku",
        ),
        RejectedRow(
            6,
            "INVALID_PRICE",
            "compareAtPrice must be at least the price (5.00).",
            "compareAtPrice",
        ),
        RejectedRow(
            7, "BAD_USER_INPUT", "status must be one of: draft, active, archived.", "status"
        ),
        RejectedRow(8, "CATEGORY_REQUIRED", "A product needs at least one category.", "categories"),
        RejectedRow(9, "BAD_USER_INPUT", "The row has 7 cells; the header has 6.", None),
    ]
    assert (report.created, report.rejected) == (1, 8)
    assert [await by_sku(products_db, sku) for sku in skus] == [None] * 7


async def test_an_archived_product_only_comes_back_as_a_draft(
    products_db: async_sessionmaker[AsyncSession], category_factory: CategoryFactory
) -> None:
    # given
    shelf = await category_factory(slug=f"shelf-{new_id()[:8]}")
    sku = unique_sku()
    header = "sku,name,price,categories,status\n"
    await run_import(products_db, f"{header}{sku},Old Kettle,20,{shelf.slug},archived\n")

    # when
    renamed = await run_import(products_db, f"{header}{sku},New Kettle,20,{shelf.slug},draft\n")
    restored = await run_import(products_db, f"{header}{sku},Old Kettle,20,{shelf.slug},draft\n")

    # then
    assert renamed.rejected_rows == [
        RejectedRow(
            2,
            "PRODUCT_ARCHIVED",
            "The product is archived: a row may only move it back to draft.",
            "status",
        )
    ]
    assert restored == ImportReport(updated=1)
    product = await by_sku(products_db, sku)
    assert product is not None and (product.name, product.status) == ("Old Kettle", "draft")


async def test_rows_are_read_as_the_batches_are_written(
    products_db: async_sessionmaker[AsyncSession], category_factory: CategoryFactory
) -> None:
    # given
    shelf = await category_factory(slug=f"shelf-{new_id()[:8]}")
    prefix = unique_sku()
    read: list[int] = []
    written: list[int] = []

    def rows() -> Iterator[SourceRow]:
        for number in range(1, 36):
            read.append(number)
            values = {
                "sku": f"{prefix}-{number}",
                "name": f"Item {number}",
                "price": "1",
                "categories": [shelf.slug],
            }
            yield SourceRow(number, values)

    def batch_done(report: ImportReport) -> None:
        written.append(report.created)
        # never more than one batch, plus the row that closed it, read ahead
        assert len(read) <= report.created + 1

    # when
    async with products_db() as db:
        report = await import_products(
            db, rows(), actor="importer", batch_size=10, on_batch=batch_done
        )

    # then
    assert report == ImportReport(created=35)
    assert written == [10, 20, 30]
