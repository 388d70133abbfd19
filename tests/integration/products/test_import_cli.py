"""`commerce import-products FILE [--format csv|jsonl]`."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.database import new_id
from subgraphs.products import models
from tests.fixtures.cli import database_environment, run_commerce
from tests.fixtures.services import RunningService


async def prices(sessions: async_sessionmaker[AsyncSession], *skus: str) -> dict[str, str]:
    async with sessions() as db:
        stmt = select(models.Product.sku, models.Product.price).where(models.Product.sku.in_(skus))
        return {sku: str(price) for sku, price in (await db.execute(stmt)).all()}


async def test_an_operator_imports_a_file_and_sees_the_rejected_rows(
    products_service: RunningService,
    products_db: async_sessionmaker[AsyncSession],
    category: models.Category,
    tmp_path: Path,
) -> None:
    # given
    good, bad = f"CLI-{new_id()[:8].upper()}", f"CLI-{new_id()[:8].upper()}"
    file = tmp_path / "products.txt"
    rows = [
        {"sku": good, "name": "Lamp", "price": "19.99", "categories": [category.slug]},
        {"sku": bad, "name": "Lamp", "price": "-1", "categories": [category.slug]},
    ]
    file.write_text("".join(json.dumps(row) + "\n" for row in rows))

    # when
    code, out, err = await run_commerce(
        database_environment(products_service.settings),
        "import-products",
        str(file),
        "--format",
        "jsonl",
    )

    # then
    assert (code, err) == (1, "")
    assert out.splitlines()[-2:] == [
        "line 2: INVALID_PRICE price must be greater than 0.",
        "created 1, updated 0, unchanged 0, rejected 1",
    ]
    assert await prices(products_db, good, bad) == {good: "19.99"}


async def test_a_file_name_without_a_known_extension_needs_a_format(
    products_service: RunningService, tmp_path: Path
) -> None:
    # given
    file = tmp_path / "products.txt"
    file.write_text("sku,name,price\n")

    # when
    code, out, err = await run_commerce(
        database_environment(products_service.settings), "import-products", str(file)
    )

    # then
    assert (code, out, err) == (2, "", "error: give --format: the file name does not tell\n")
