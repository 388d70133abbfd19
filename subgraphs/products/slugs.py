"""Slugs of products and categories: unique per table, made from the name when not given.

A generated slug is looked up free and then written, and another writer may take it in
between. So the write runs in a savepoint: when the unique constraint refuses the slug,
the transaction lives on and the next free suffix is tried. A slug the client gave is
written as given or refused with DUPLICATE_SLUG.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import object_session

from subgraphs.products import validation as pv
from subgraphs.products.errors import ProductError, ProductErrorCode, conflict_error
from subgraphs.products.models import Category, Product

# How often a generated slug is tried before the write gives up; each failure means a
# concurrent writer took the candidate, so more than two is already unlikely.
MAX_ATTEMPTS = 5


async def write_slug(
    db: AsyncSession, row: Product | Category, given: str | None, name: str
) -> None:
    """Give ``row`` (new, or changed and locked) the slug ``given``, or the first free one
    made from ``name``, and write the row."""
    for _ in range(MAX_ATTEMPTS):
        slug = given if given is not None else await _free_slug(db, row, pv.slugify(name))
        if given is not None:
            await _ensure_free(db, row, given)
        try:
            async with db.begin_nested():
                row.slug = slug
                db.add(row)
            return
        except IntegrityError as error:
            conflict = conflict_error(error)
            if conflict is None:
                raise
            if given is not None or conflict.code != ProductErrorCode.DUPLICATE_SLUG:
                raise conflict from None
        if object_session(row) is not None:
            # The rolled-back savepoint expired the row; async code cannot lazy-load it.
            await db.refresh(row)
    raise _taken(pv.slugify(name))


async def _free_slug(db: AsyncSession, row: Product | Category, base: str) -> str:
    """``base``, or ``base-2``, ``base-3``… whichever no other row has first."""
    model = type(row)
    # Slugs hold only [a-z0-9-], so the prefix has no LIKE wildcards in it.
    taken = set(
        await db.scalars(
            select(model.slug).where(
                (model.slug == base) | model.slug.like(f"{base}-%"), model.id != row.id
            )
        )
    )
    candidate, suffix = base, 1
    while candidate in taken:
        suffix += 1
        candidate = f"{base}-{suffix}"
    return candidate


async def _ensure_free(db: AsyncSession, row: Product | Category, slug: str) -> None:
    model = type(row)
    if await db.scalar(select(model.id).where(model.slug == slug, model.id != row.id)):
        raise _taken(slug)


def _taken(slug: str) -> ProductError:
    return ProductError(
        ProductErrorCode.DUPLICATE_SLUG, f"Slug {slug} is already in use.", field="slug"
    )
