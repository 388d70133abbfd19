"""A demo catalog: a category tree, a few hundred products with variants, images, stock
and reviews, seeded once into an empty products database.

Everything comes from a seeded random generator, so every seeding makes the same
catalog; the benchmarks draw their 100k products from the same generator.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shared.database import create_engine, new_id, session_factory, utcnow
from shared.settings import Settings
from subgraphs.products import catalog, categories, importer, inventory
from subgraphs.products.import_rows import SourceRow
from subgraphs.products.models import (
    Category,
    Inventory,
    InventoryMovement,
    Product,
    ProductImage,
    ProductVariant,
    Review,
)

log = logging.getLogger("commerce.demo")

DEMO_SEED = 20261121
DEMO_PRODUCT_COUNT = 300
# Who the demo rows' events and stock movements name.
DEMO_ACTOR = "demo"
DEMO_LOW_STOCK = 5


@dataclass(frozen=True)
class DemoCategory:
    slug: str
    name: str
    parent_slug: str | None = None


@dataclass(frozen=True)
class Line:
    """What the products of one leaf category are made of."""

    category: str
    nouns: tuple[str, ...]
    price_range: tuple[int, int]
    options: dict[str, tuple[str, ...]]
    variant_option: str | None
    tags: tuple[str, ...]


@dataclass(frozen=True)
class DemoVariant:
    sku: str
    name: str
    attributes: dict[str, str]
    stock: int


@dataclass(frozen=True)
class DemoReview:
    user_id: str
    rating: int
    title: str
    comment: str


@dataclass(frozen=True)
class DemoProduct:
    sku: str
    name: str
    description: str
    price: Decimal
    compare_at_price: Decimal | None
    category_slug: str
    tags: tuple[str, ...]
    attributes: dict[str, Any]
    image_urls: tuple[str, ...]
    stock: int
    variants: tuple[DemoVariant, ...] = ()
    reviews: tuple[DemoReview, ...] = field(default=(), repr=False)


ROOTS = (
    DemoCategory("electronics", "Electronics"),
    DemoCategory("home-kitchen", "Home & Kitchen"),
    DemoCategory("fashion", "Fashion"),
    DemoCategory("sports-outdoors", "Sports & Outdoors"),
    DemoCategory("books", "Books"),
)

_COLOURS = ("black", "white", "silver", "blue", "red", "green", "grey")
_SIZES = ("XS", "S", "M", "L", "XL")

LINES = (
    Line(
        "audio",
        ("Headphones", "Earbuds", "Speaker", "Soundbar"),
        (19, 399),
        {"colour": _COLOURS, "connectivity": ("bluetooth", "wired")},
        "colour",
        ("audio", "wireless", "music"),
    ),
    Line(
        "phones",
        ("Smartphone", "Phone Case", "Charger", "Power Bank"),
        (9, 1199),
        {"colour": _COLOURS, "storage": ("64 GB", "128 GB", "256 GB")},
        "storage",
        ("mobile", "gadgets"),
    ),
    Line(
        "computers",
        ("Laptop", "Keyboard", "Mouse", "Monitor", "Webcam"),
        (15, 2499),
        {"colour": _COLOURS},
        None,
        ("office", "gadgets"),
    ),
    Line(
        "cameras",
        ("Camera", "Lens", "Tripod", "Action Camera"),
        (29, 1899),
        {"colour": ("black", "silver")},
        None,
        ("photo", "travel"),
    ),
    Line(
        "cookware",
        ("Frying Pan", "Saucepan", "Knife Set", "Cutting Board"),
        (12, 249),
        {"material": ("steel", "cast iron", "ceramic", "wood")},
        None,
        ("kitchen", "cooking"),
    ),
    Line(
        "furniture",
        ("Desk", "Chair", "Bookshelf", "Side Table"),
        (49, 899),
        {"material": ("oak", "walnut", "steel", "pine"), "colour": _COLOURS},
        "colour",
        ("home", "office"),
    ),
    Line(
        "lighting",
        ("Desk Lamp", "Floor Lamp", "LED Strip", "Pendant Light"),
        (14, 329),
        {"colour": ("white", "black", "brass")},
        None,
        ("home", "lighting"),
    ),
    Line(
        "men",
        ("T-Shirt", "Hoodie", "Jacket", "Jeans"),
        (15, 249),
        {"colour": _COLOURS, "material": ("cotton", "wool", "denim")},
        "size",
        ("clothing", "men"),
    ),
    Line(
        "women",
        ("Dress", "Blouse", "Cardigan", "Skirt"),
        (19, 279),
        {"colour": _COLOURS, "material": ("cotton", "silk", "linen")},
        "size",
        ("clothing", "women"),
    ),
    Line(
        "shoes",
        ("Sneakers", "Boots", "Sandals", "Running Shoes"),
        (29, 259),
        {"colour": _COLOURS},
        "size",
        ("footwear",),
    ),
    Line(
        "accessories",
        ("Backpack", "Wallet", "Sunglasses", "Watch"),
        (12, 499),
        {"colour": _COLOURS, "material": ("leather", "canvas", "steel")},
        None,
        ("accessories", "gifts"),
    ),
    Line(
        "fitness",
        ("Yoga Mat", "Dumbbell Set", "Resistance Band", "Kettlebell"),
        (9, 299),
        {"colour": _COLOURS},
        None,
        ("fitness", "training"),
    ),
    Line(
        "camping",
        ("Tent", "Sleeping Bag", "Camping Stove", "Lantern"),
        (19, 599),
        {"colour": ("green", "orange", "grey")},
        None,
        ("outdoor", "camping", "travel"),
    ),
    Line(
        "cycling",
        ("Bike Helmet", "Bike Light", "Cycling Gloves", "Bike Lock"),
        (9, 199),
        {"colour": _COLOURS},
        None,
        ("outdoor", "cycling"),
    ),
    Line(
        "fiction",
        ("Novel", "Short Stories", "Thriller", "Fantasy Saga"),
        (7, 39),
        {"format": ("paperback", "hardcover")},
        "format",
        ("reading", "gifts"),
    ),
    Line(
        "non-fiction",
        ("Cookbook", "Biography", "Travel Guide", "History"),
        (9, 59),
        {"format": ("paperback", "hardcover")},
        "format",
        ("reading",),
    ),
)

CATEGORIES = (
    *ROOTS,
    DemoCategory("audio", "Audio", "electronics"),
    DemoCategory("phones", "Phones", "electronics"),
    DemoCategory("computers", "Computers", "electronics"),
    DemoCategory("cameras", "Cameras", "electronics"),
    DemoCategory("cookware", "Cookware", "home-kitchen"),
    DemoCategory("furniture", "Furniture", "home-kitchen"),
    DemoCategory("lighting", "Lighting", "home-kitchen"),
    DemoCategory("men", "Men", "fashion"),
    DemoCategory("women", "Women", "fashion"),
    DemoCategory("shoes", "Shoes", "fashion"),
    DemoCategory("accessories", "Accessories", "fashion"),
    DemoCategory("fitness", "Fitness", "sports-outdoors"),
    DemoCategory("camping", "Camping", "sports-outdoors"),
    DemoCategory("cycling", "Cycling", "sports-outdoors"),
    DemoCategory("fiction", "Fiction", "books"),
    DemoCategory("non-fiction", "Non-fiction", "books"),
)

_BRANDS = (
    "Northwind",
    "Acme",
    "Lumen",
    "Solace",
    "Kestrel",
    "Aurora",
    "Brightline",
    "Tundra",
    "Harbor",
    "Vertex",
    "Oakridge",
    "Nimbus",
)
_ADJECTIVES = (
    "Classic",
    "Pro",
    "Compact",
    "Premium",
    "Everyday",
    "Ultra",
    "Eco",
    "Travel",
    "Smart",
    "Essential",
    "Deluxe",
    "Lite",
)
_PRAISE = ("Great value", "Does the job", "Love it", "Solid build", "Not bad", "Excellent")


def demo_products(count: int = DEMO_PRODUCT_COUNT, seed: int = DEMO_SEED) -> Iterator[DemoProduct]:
    """``count`` products, the same ones for the same seed, one at a time."""
    rng = random.Random(seed)
    for number in range(1, count + 1):
        yield _product(rng, number, LINES[(number - 1) % len(LINES)])


def _product(rng: random.Random, number: int, line: Line) -> DemoProduct:
    brand, adjective, noun = rng.choice(_BRANDS), rng.choice(_ADJECTIVES), rng.choice(line.nouns)
    sku = f"DEMO-{line.category[:3].upper()}-{number:06d}"
    attributes = {name: rng.choice(values) for name, values in line.options.items()}
    low, high = line.price_range
    price = Decimal(rng.randint(low, high)) - Decimal("0.01")
    compare_at = (price * Decimal("1.25")).quantize(Decimal("1")) - Decimal("0.01")
    return DemoProduct(
        sku=sku,
        name=f"{brand} {adjective} {noun}",
        description=(
            f"The {adjective.lower()} {noun.lower()} by {brand}: "
            + ", ".join(f"{name} {value}" for name, value in attributes.items())
            + f". Part of our {line.category.replace('-', ' ')} range."
        ),
        price=price,
        compare_at_price=compare_at if rng.random() < 0.2 else None,
        category_slug=line.category,
        tags=tuple(rng.sample(line.tags, k=min(2, len(line.tags)))),
        attributes=attributes,
        image_urls=tuple(
            f"https://picsum.photos/seed/{sku.lower()}-{index}/800/800"
            for index in range(rng.randint(1, 3))
        ),
        stock=rng.choice((0, 3, 12, 25, 40, 80)),
        variants=_variants(rng, sku, line),
        reviews=_reviews(rng),
    )


def _variants(rng: random.Random, sku: str, line: Line) -> tuple[DemoVariant, ...]:
    option = line.variant_option
    if option is None:
        return ()
    values = _SIZES[1:4] if option == "size" else rng.sample(line.options[option], k=2)
    return tuple(
        DemoVariant(
            sku=f"{sku}-{value.replace(' ', '').upper()}",
            name=value,
            attributes={option: value},
            stock=rng.choice((0, 5, 10, 20)),
        )
        for value in values
    )


def _reviews(rng: random.Random) -> tuple[DemoReview, ...]:
    return tuple(
        DemoReview(
            user_id=f"00000000-0000-4000-8000-{rng.randrange(16**12):012x}",
            rating=rng.choices((1, 2, 3, 4, 5), weights=(1, 1, 3, 6, 8))[0],
            title=rng.choice(_PRAISE),
            comment="Bought it a month ago and use it every day.",
        )
        for _ in range(rng.choice((0, 0, 1, 2, 4)))
    )


async def seed_demo_data(settings: Settings) -> None:
    """Seed the demo catalog into the products database unless it holds a catalog already."""
    engine = create_engine(settings, "products")
    try:
        async with session_factory(engine)() as db:
            seeded = await seed_demo_catalog(db)
    finally:
        await engine.dispose()
    if seeded:
        log.info("products: seeded a demo catalog of %d products", seeded)


async def seed_demo_catalog(db: AsyncSession, count: int = DEMO_PRODUCT_COUNT) -> int:
    """Write the demo catalog when there is no product and no category yet; returns the
    number of products made.

    Categories go through their service and products through the importer, so with the
    catalog's rules and product.created events; images, variants, stock and reviews are
    written as sets in the same transaction (per-row service calls took 40 s here).
    """
    if await db.scalar(select(exists(select(Product.id)) | exists(select(Category.id)))):
        return 0
    for demo in CATEGORIES:
        parent = await db.scalar(select(Category.id).where(Category.slug == demo.parent_slug))
        fields = {"name": demo.name, "slug": demo.slug}
        await categories.create_category(db, fields, parent_id=parent)
    items = list(demo_products(count))
    report = await importer.import_products(db, map(_source_row, items), actor=DEMO_ACTOR)
    if report.rejected or report.created != len(items):
        raise RuntimeError(f"the demo catalog does not import: {report}")
    skus = catalog.any_of([item.sku for item in items])
    ids = dict((await db.execute(select(Product.sku, Product.id).where(Product.sku == skus))).all())
    stock = [row for item in items for row in _add_children(db, ids[item.sku], item)]
    # No ORM relationships order the inserts: variants before stock before its movements.
    await db.flush()
    db.add_all(stock)
    await db.flush()
    db.add_all(
        InventoryMovement(
            inventory_id=row.id, delta=row.quantity, reason="demo data", actor=DEMO_ACTOR
        )
        for row in stock
    )
    await inventory.summarise(db, stock)
    await _count_ratings(db)
    await db.commit()
    return len(items)


def _source_row(item: DemoProduct) -> SourceRow:
    values = {
        "sku": item.sku,
        "name": item.name,
        "description": item.description,
        "price": str(item.price),
        "status": "active",
        "attributes": item.attributes,
        "categories": [item.category_slug],
        "tags": list(item.tags),
    }
    if item.compare_at_price is not None:
        values["compare_at_price"] = str(item.compare_at_price)
    return SourceRow(0, values)


def _add_children(db: AsyncSession, product_id: str, item: DemoProduct) -> list[Inventory]:
    """Add the product's images, variants and reviews; returns its stock rows, to add
    once the variants are written."""
    now = utcnow()
    stock = [_stock(product_id, None, item.stock, now)] if item.stock else []
    db.add_all(
        ProductImage(
            product_id=product_id,
            url=url,
            alt_text=item.name,
            sort_order=order,
            is_primary=order == 0,
        )
        for order, url in enumerate(item.image_urls)
    )
    for variant in item.variants:
        row = ProductVariant(
            id=new_id(),
            product_id=product_id,
            sku=variant.sku,
            name=variant.name,
            attributes=variant.attributes,
        )
        db.add(row)
        if variant.stock:
            stock.append(_stock(product_id, row.id, variant.stock, now))
    db.add_all(
        Review(
            product_id=product_id,
            user_id=review.user_id,
            rating=review.rating,
            title=review.title,
            comment=review.comment,
            is_approved=True,
        )
        for review in item.reviews
    )
    return stock


def _stock(product_id: str, variant_id: str | None, quantity: int, now: datetime) -> Inventory:
    return Inventory(
        product_id=product_id,
        variant_id=variant_id,
        quantity=quantity,
        low_stock_threshold=DEMO_LOW_STOCK,
        last_restocked_at=now,
    )


async def _count_ratings(db: AsyncSession) -> None:
    """Every product's average rating and review count, as the reviews service keeps them."""
    approved = (
        select(
            Review.product_id,
            func.round(func.avg(Review.rating), 2).label("average"),
            func.count().label("total"),
        )
        .where(Review.is_approved.is_(True))
        .group_by(Review.product_id)
        .subquery()
    )
    await db.execute(
        update(Product)
        .where(Product.id == approved.c.product_id)
        .values(average_rating=approved.c.average, review_count=approved.c.total)
    )
