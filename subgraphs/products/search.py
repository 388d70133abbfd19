"""Product search: full text with typo tolerance, filters, sorts, keyset pages, facets.

A text query matches the weighted ``search_vector`` (name, SKU, tags, description) through
``websearch_to_tsquery``, or the name or SKU by trigram word similarity, so "headphnes"
still finds headphones. Each of the three has its own GIN index, and so have attributes,
which filters match by containment.

Customers and anonymous callers only ever see active, visible products; staff see every
status and may filter by it.
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    CTE,
    ColumnElement,
    CompoundSelect,
    Float,
    Select,
    String,
    Subquery,
    Text,
    and_,
    any_,
    cast,
    exists,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from shared.errors import DomainError, bad_input, forbidden
from shared.pagination import MAX_PAGE_SIZE
from subgraphs.products.catalog import any_of, public_products
from subgraphs.products.errors import ProductError, ProductErrorCode
from subgraphs.products.models import (
    TEXT_SEARCH_CONFIG,
    Category,
    Inventory,
    Product,
    ProductCategory,
    ProductPair,
    ProductStatus,
    ProductTag,
)
from subgraphs.products.validation import MAX_MONEY

MAX_TEXT_LENGTH = 200
# The largest PostgreSQL integer: review_count's type.
MAX_INT = 2**31 - 1
# A number as JSON writes it, which jsonb reads (Python's json.loads also takes NaN).
_JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
MAX_FILTER_VALUES = 50
# Upper bounds of the price bands facets count products in; the last band is open.
PRICE_BAND_LIMITS = (
    Decimal(10),
    Decimal(25),
    Decimal(50),
    Decimal(100),
    Decimal(250),
    Decimal(500),
    Decimal(1000),
)
MAX_FACET_CATEGORIES = 50
MAX_FACET_ATTRIBUTES = 20
MAX_FACET_VALUES = 10
MAX_RELATED = 20
# How much each kind of link adds to a related product's score.
RELATED_PAIR_WEIGHT = 10
RELATED_CATEGORY_WEIGHT = 2
RELATED_TAG_WEIGHT = 1
# How many products each category, tag or bought-together list offers as candidates.
RELATED_CANDIDATES_PER_LINK = 50


class ProductSort(StrEnum):
    RELEVANCE = "RELEVANCE"
    PRICE_ASC = "PRICE_ASC"
    PRICE_DESC = "PRICE_DESC"
    NEWEST = "NEWEST"
    RATING = "RATING"


@dataclass(frozen=True)
class AttributeFilter:
    """Products whose attribute ``name`` is one of ``values``."""

    name: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class ProductFilter:
    """Every given criterion must hold; within tags or an attribute's values, any one."""

    text: str | None = None
    category_id: str | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    in_stock: bool | None = None
    tags: tuple[str, ...] = ()
    attributes: tuple[AttributeFilter, ...] = ()
    min_rating: Decimal | None = None
    statuses: tuple[ProductStatus, ...] = ()


@dataclass(frozen=True)
class Search:
    """A checked filter as SQL: the conditions a product must meet, and its text rank.

    One request builds one, so it also carries the facets once started, which that
    request's count reads its total from (see ``count_products``)."""

    conditions: tuple[ColumnElement[bool], ...]
    rank: ColumnElement[float] | None
    started: dict[str, asyncio.Task[Facets]] = field(
        default_factory=dict, compare=False, repr=False
    )


@dataclass(frozen=True)
class SearchPage:
    products: list[Product]
    cursors: list[str]
    has_next_page: bool


@dataclass(frozen=True)
class CategoryCount:
    category: Category
    count: int


@dataclass(frozen=True)
class PriceBand:
    min: Decimal
    max: Decimal | None
    count: int


@dataclass(frozen=True)
class ValueCount:
    value: str
    count: int


@dataclass(frozen=True)
class AttributeFacet:
    name: str
    values: list[ValueCount]


@dataclass(frozen=True)
class Facets:
    categories: list[CategoryCount]
    price_bands: list[PriceBand]
    attributes: list[AttributeFacet]
    # How many products match: each is in exactly one price band.
    total: int


def product_search(criteria: ProductFilter, *, staff: bool) -> Search:
    """Check ``criteria`` and turn it into SQL; BAD_USER_INPUT names the field at fault,
    FORBIDDEN when a customer filters by status."""
    conditions = [*_visibility(criteria.statuses, staff=staff), *_filters(criteria)]
    text = _search_text(criteria.text)
    rank = None
    if text is not None:
        query = func.websearch_to_tsquery(
            literal_column(f"'{TEXT_SEARCH_CONFIG}'::regconfig"), text
        )
        # lower(sku) is what ix_products_lower_sku_trgm holds; trigrams ignore case.
        sku = func.lower(Product.sku)
        conditions.append(
            or_(
                Product.search_vector.op("@@")(query),
                Product.name.op("%>")(text),
                sku.op("%>")(text),
            )
        )
        similarity = func.greatest(
            func.word_similarity(text, Product.name), func.word_similarity(text, sku)
        )
        rank = func.ts_rank(Product.search_vector, query) + similarity
    return Search(tuple(conditions), rank)


def _visibility(statuses: Sequence[ProductStatus], *, staff: bool) -> list[ColumnElement[bool]]:
    if not staff:
        if statuses:
            raise forbidden("Only staff filter products by status.")
        return [public_products()]
    return [Product.status.in_([status.value for status in statuses])] if statuses else []


def _search_text(text: str | None) -> str | None:
    text = " ".join(text.split()) if text is not None else None
    if not text:
        return None
    if len(text) > MAX_TEXT_LENGTH:
        raise bad_input(f"text must be at most {MAX_TEXT_LENGTH} characters.", field="text")
    if not text.isprintable():
        raise bad_input("text must not contain control characters.", field="text")
    return text


def _filters(criteria: ProductFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if criteria.category_id is not None:
        conditions.append(_in_category_tree(criteria.category_id))
    conditions += _price_range(criteria.min_price, criteria.max_price)
    if criteria.in_stock is not None:
        available = exists().where(Inventory.product_id == Product.id, Inventory.available > 0)
        conditions.append(available if criteria.in_stock else ~available)
    if criteria.tags:
        tags = _values(criteria.tags, "tags", str.lower)
        conditions.append(
            exists().where(ProductTag.product_id == Product.id, ProductTag.tag.in_(tags))
        )
    conditions += [_has_attribute(attribute) for attribute in criteria.attributes]
    if criteria.min_rating is not None:
        # is_finite first: comparing a NaN raises InvalidOperation.
        if not criteria.min_rating.is_finite() or not 0 <= criteria.min_rating <= 5:
            raise bad_input("minRating must be between 0 and 5.", field="minRating")
        conditions.append(Product.average_rating >= criteria.min_rating)
    return conditions


def _in_category_tree(category_id: str) -> ColumnElement[bool]:
    """The product is in the category or one of its descendants; none when it is unknown."""
    if not 0 < len(category_id) <= 36 or not category_id.isprintable():
        return false()
    root_path = select(Category.path).where(Category.id == category_id).scalar_subquery()
    in_tree = (
        select(ProductCategory.product_id)
        .join(Category, Category.id == ProductCategory.category_id)
        .where(func.starts_with(Category.path, root_path))
    )
    return Product.id.in_(in_tree)


def _price_range(low: Decimal | None, high: Decimal | None) -> list[ColumnElement[bool]]:
    for value, name in ((low, "minPrice"), (high, "maxPrice")):
        # Bounded: a number PostgreSQL's numeric cannot hold would fail in SQL.
        if value is not None and (not value.is_finite() or not 0 <= value <= MAX_MONEY):
            raise bad_input(f"{name} must be a price from 0 to {MAX_MONEY}.", field=name)
    if low is not None and high is not None and low > high:
        raise bad_input("maxPrice must not be below minPrice.", field="maxPrice")
    conditions = [Product.price >= low] if low is not None else []
    return conditions + ([Product.price <= high] if high is not None else [])


def _has_attribute(attribute: AttributeFilter) -> ColumnElement[bool]:
    """The attribute's value, as text, is one of the values.

    The containment finds candidates in ix_products_attributes (``->>`` alone reads
    every product); the ``->>`` keeps the text match exact, as ``@>`` equates 42 and 42.0.
    """
    name = attribute.name.strip()
    if not name or len(name) > 100:
        raise bad_input("An attribute name must have 1 to 100 characters.", field="attributes")
    values = _values(attribute.values, "attributes")
    documents = [document for value in values for document in _attribute_documents(name, value)]
    candidates = Product.attributes.op("@>", is_comparison=True)(
        any_(cast(literal(documents, ARRAY(Text)), ARRAY(JSONB)))
    )
    return and_(candidates, Product.attributes[name].astext.in_(values))


def _attribute_documents(name: str, value: str) -> list[str]:
    """The JSON objects an attribute holding ``value`` contains: the string, and the
    number or boolean the text spells, if any."""
    documents = [json.dumps({name: value})]
    if value in ("true", "false") or _JSON_NUMBER.fullmatch(value):
        documents.append(f"{{{json.dumps(name)}: {value}}}")
    return documents


def _values(values: Sequence[str], field: str, normal: Any = str) -> list[str]:
    if len(values) > MAX_FILTER_VALUES:
        raise bad_input(f"{field} takes at most {MAX_FILTER_VALUES} values.", field=field)
    return [normal(value.strip()) for value in values]


async def search_products(
    db: AsyncSession,
    search: Search,
    sort: ProductSort,
    *,
    first: int,
    after: str | None = None,
) -> SearchPage:
    """A page of matching products in ``sort`` order, after the cursor ``after``.

    RELEVANCE without a text query orders as NEWEST. Each sort ends on the id, so the
    order is total and pages neither skip nor repeat a product that did not change.
    """
    if not 1 <= first <= MAX_PAGE_SIZE:
        raise bad_input(f"first must be between 1 and {MAX_PAGE_SIZE}.", field="first")
    if sort is ProductSort.RELEVANCE and search.rank is None:
        sort = ProductSort.NEWEST
    keys, descending = _sort_keys(sort, search)
    stmt = select(Product, *keys).where(*search.conditions)
    if after is not None:
        position, values = tuple_(*keys), tuple_(*_cursor_values(after, sort, keys))
        stmt = stmt.where(position < values if descending else position > values)
    stmt = stmt.order_by(*(key.desc() if descending else key for key in keys))
    rows = (await db.execute(stmt.limit(first + 1))).all()
    page = rows[:first]
    return SearchPage(
        products=[row[0] for row in page],
        cursors=[_encode_cursor(sort, row[1:]) for row in page],
        has_next_page=len(rows) > first,
    )


def _sort_keys(sort: ProductSort, search: Search) -> tuple[list[ColumnElement[Any]], bool]:
    """The columns a sort orders by, the id last, and whether it is descending."""
    match sort:
        case ProductSort.RELEVANCE:
            assert search.rank is not None
            return [search.rank.label("rank"), Product.id.expression], True
        case ProductSort.PRICE_ASC:
            return [Product.price.expression, Product.id.expression], False
        case ProductSort.PRICE_DESC:
            return [Product.price.expression, Product.id.expression], True
        case ProductSort.NEWEST:
            return [Product.created_at.expression, Product.id.expression], True
        case ProductSort.RATING:
            columns = (Product.average_rating, Product.review_count, Product.id)
            return [column.expression for column in columns], True


def _encode_cursor(sort: ProductSort, values: Sequence[Any]) -> str:
    document = {"sort": sort.value, "after": [_jsonable(value) for value in values]}
    return base64.urlsafe_b64encode(json.dumps(document).encode()).decode()


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _cursor_values(
    cursor: str, sort: ProductSort, keys: Sequence[ColumnElement[Any]]
) -> list[ColumnElement[Any]]:
    """The keys of the row a cursor points after, as typed SQL values."""
    try:
        document = json.loads(base64.urlsafe_b64decode(cursor))
        values = document["after"]
        if document["sort"] != sort.value or len(values) != len(keys):
            raise ValueError("another sort's cursor")
        return [_typed(value, key) for value, key in zip(values, keys, strict=True)]
    # ArithmeticError: Decimal's InvalidOperation, and a time with no UTC equivalent;
    # RecursionError: JSON nested too deep.
    except (ValueError, TypeError, KeyError, ArithmeticError, RecursionError):
        raise ProductError(
            ProductErrorCode.INVALID_CURSOR,
            "The cursor is not valid for this sort.",
            field="after",
        ) from None


def _typed(value: Any, key: ColumnElement[Any]) -> ColumnElement[Any]:
    name = key.key
    if name == "rank":
        return literal(float(value), Float)
    if name in ("price", "average_rating"):
        amount = Decimal(str(value))
        if not amount.is_finite() or not -MAX_MONEY <= amount <= MAX_MONEY:
            raise ValueError("not an amount")
        return literal(amount, key.type)
    if name == "created_at":
        at = datetime.fromisoformat(value)
        if at.tzinfo is None:
            raise ValueError("a naive time")
        return literal(at.astimezone(UTC), key.type)
    if name == "review_count":
        count = int(value)
        if not 0 <= count <= MAX_INT:
            raise ValueError("not a count")
        return literal(count, key.type)
    if not isinstance(value, str) or not 0 < len(value) <= 36 or not value.isprintable():
        raise ValueError("not an id")
    return literal(value, key.type)


async def count_products(db: AsyncSession, search: Search) -> int:
    """How many products match; the facets' total when the request asks for facets too,
    so that finding the matching set (most of either's cost) happens once.

    graphql-core starts sibling fields in order, ``totalCount`` before ``facets``: one
    turn of the event loop lets the facets start before the count looks for them.
    """
    await asyncio.sleep(0)
    if "facets" in search.started:
        return (await search.started["facets"]).total
    return await db.scalar(select(func.count()).select_from(Product).where(*search.conditions)) or 0


async def product_facets(db: AsyncSession, search: Search) -> Facets:
    """The facets of the matching products, computed once per ``Search``."""
    if "facets" not in search.started:
        search.started["facets"] = asyncio.create_task(_facets(db, search))
    return await search.started["facets"]


async def _facets(db: AsyncSession, search: Search) -> Facets:
    """One statement reads the matching set once and counts categories, price bands and
    attribute values over it; a second loads the categories counted."""
    matching = (
        select(Product.id, Product.price, Product.attributes)
        .where(*search.conditions)
        .cte("matching")
        .prefix_with("MATERIALIZED")
    )
    rows = (await db.execute(_facet_counts(matching))).all()
    counts: dict[str, list[tuple[str, str | None, int]]] = {
        "category": [],
        "price": [],
        "attribute": [],
    }
    for facet, name, value, total in rows:
        counts[facet].append((name, value, total))
    price_bands = _price_bands(counts["price"])
    return Facets(
        categories=await _category_counts(db, counts["category"]),
        price_bands=price_bands,
        attributes=_attribute_facets(counts["attribute"]),
        total=sum(band.count for band in price_bands),
    )


def _facet_counts(matching: CTE) -> CompoundSelect[str, str, str | None, int]:
    """(facet, name, value, count) rows: per category id, per price band, and the
    ``MAX_FACET_VALUES`` commonest values of each attribute."""
    no_value = literal(None, String)
    by_category = (
        select(literal("category"), ProductCategory.category_id, no_value, func.count())
        .join(matching, matching.c.id == ProductCategory.product_id)
        .group_by(ProductCategory.category_id)
    )
    limits = literal(list(PRICE_BAND_LIMITS), ARRAY(Product.price.type))
    band = func.width_bucket(matching.c.price, limits)
    by_band = select(literal("price"), cast(band, String), no_value, func.count()).group_by(band)
    pairs = func.jsonb_each_text(matching.c.attributes).table_valued("key", "value").lateral()
    count = func.count()
    place = func.row_number().over(partition_by=pairs.c.key, order_by=(count.desc(), pairs.c.value))
    ranked = (
        select(pairs.c.key, pairs.c.value, count.label("total"), place.label("place"))
        .select_from(matching)
        .join(pairs, true())
        .group_by(pairs.c.key, pairs.c.value)
        .subquery()
    )
    by_value = select(literal("attribute"), ranked.c.key, ranked.c.value, ranked.c.total).where(
        ranked.c.place <= MAX_FACET_VALUES
    )
    return union_all(by_category, by_band, by_value)


async def _category_counts(
    db: AsyncSession, counts: list[tuple[str, str | None, int]]
) -> list[CategoryCount]:
    totals = {category_id: total for category_id, _, total in counts}
    active = await db.scalars(
        select(Category).where(Category.id == any_of(list(totals)), Category.is_active.is_(True))
    )
    ordered = sorted(active, key=lambda row: (-totals[row.id], row.name, row.id))
    return [CategoryCount(row, totals[row.id]) for row in ordered[:MAX_FACET_CATEGORIES]]


def _price_bands(counts: list[tuple[str, str | None, int]]) -> list[PriceBand]:
    lows = (Decimal(0), *PRICE_BAND_LIMITS)
    highs = (*PRICE_BAND_LIMITS, None)
    bands = sorted((int(index), total) for index, _, total in counts)
    return [PriceBand(lows[index], highs[index], total) for index, total in bands]


def _attribute_facets(counts: list[tuple[str, str | None, int]]) -> list[AttributeFacet]:
    values: dict[str, list[ValueCount]] = {}
    for name, value, total in sorted(counts, key=lambda row: (row[0], -row[2], row[1] or "")):
        values.setdefault(name, []).append(ValueCount(value or "", total))
    names = sorted(values)[:MAX_FACET_ATTRIBUTES]
    return [AttributeFacet(name, values[name]) for name in names]


async def related_products_by_keys(
    db: AsyncSession, keys: list[tuple[str, int]]
) -> list[list[Product] | DomainError]:
    """For each (product id, first): up to ``first`` public products related to it, in one
    statement for every key.

    Bought together counts most (``RELATED_PAIR_WEIGHT`` per order, from ``product_pairs``),
    then each shared category and each shared tag; ties go by id. A ``first`` outside
    1..MAX_RELATED is that key's BAD_USER_INPUT.
    """
    limit = max(first for _, first in keys)
    ids = list(dict.fromkeys(product_id for product_id, _ in keys))
    ranked = _related_ranking(ids)
    stmt = (
        select(ranked.c.source, Product)
        .join(ranked, ranked.c.product_id == Product.id)
        .where(ranked.c.place <= limit)
        .order_by(ranked.c.source, ranked.c.place)
    )
    related: dict[str, list[Product]] = {product_id: [] for product_id in ids}
    for source, product in (await db.execute(stmt)).all():
        related[source].append(product)
    return [
        related[product_id][:first] if 1 <= first <= MAX_RELATED else _bad_related_first()
        for product_id, first in keys
    ]


def _related_ranking(ids: list[str]) -> Subquery:
    """(source, product_id, place) of the public products related to each of ``ids``."""
    candidates = union_all(
        _bought_with(ids),
        _sharing(ProductCategory, "category_id", ids, RELATED_CATEGORY_WEIGHT),
        _sharing(ProductTag, "tag", ids, RELATED_TAG_WEIGHT),
    ).subquery()
    score = func.sum(candidates.c.score)
    place = func.row_number().over(
        partition_by=candidates.c.source, order_by=(score.desc(), candidates.c.product_id)
    )
    # A lookup per candidate: a join would let the planner hash every public product.
    public = exists().where(Product.id == candidates.c.product_id, public_products())
    return (
        select(candidates.c.source, candidates.c.product_id, place.label("place"))
        .where(public)
        .group_by(candidates.c.source, candidates.c.product_id)
        .subquery()
    )


def _bought_with(ids: list[str]) -> Select[Any]:
    """(source, product_id, score): what each source was bought together with most."""
    sources = select(func.unnest(literal(ids, ARRAY(String))).label("id")).subquery()
    pairs = (
        select(ProductPair.other_product_id, ProductPair.times_bought_together)
        .where(ProductPair.product_id == sources.c.id)
        .order_by(ProductPair.times_bought_together.desc(), ProductPair.other_product_id)
        .limit(RELATED_CANDIDATES_PER_LINK)
        .lateral()
    )
    score = pairs.c.times_bought_together * RELATED_PAIR_WEIGHT
    return select(
        sources.c.id.label("source"),
        pairs.c.other_product_id.label("product_id"),
        score.label("score"),
    ).join(pairs, true())


def _sharing(
    model: type[ProductCategory] | type[ProductTag], link: str, ids: list[str], weight: int
) -> Select[Any]:
    """(source, product_id, weight) for products sharing a category (or tag) with a
    source: a sample of ``RELATED_CANDIDATES_PER_LINK`` per category, by id, so a large
    category costs no more than a small one."""
    links = select(model.product_id, getattr(model, link)).where(model.product_id == any_of(ids))
    mine = links.subquery()
    other = aliased(model)
    sample = (
        select(other.product_id)
        .where(getattr(other, link) == getattr(mine.c, link), other.product_id != mine.c.product_id)
        .order_by(other.product_id)
        .limit(RELATED_CANDIDATES_PER_LINK)
        .lateral()
    )
    return select(mine.c.product_id, sample.c.product_id, literal(weight)).join(sample, true())


def _bad_related_first() -> DomainError:
    return bad_input(f"first must be between 1 and {MAX_RELATED}.", field="first")
