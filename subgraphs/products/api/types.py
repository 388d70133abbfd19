"""The products subgraph's object types and entities: Product, ProductVariant, Category.

Customers and anonymous callers see only active, visible products and active
categories; an entity they may not see resolves to null. Staff (admin, support) see
everything; ``costPrice`` is for admins only and null for everyone else. Related
rows come through per-request DataLoaders, so N entities cost one statement.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import cast

import strawberry
from strawberry.scalars import JSON

from shared.auth.tokens import STAFF_ROLES
from shared.graphql import Context, Money, PageInfo
from shared.pagination import Page, encode_cursor
from subgraphs.products import catalog, categories, images, models, search, variants
from subgraphs.products.api import inventory, reviews

Info = strawberry.Info[Context, None]


# strawberry.enum marks the model's class as this GraphQL enum.
strawberry.enum(models.ProductStatus, name="ProductStatus")


def optional_money(amount: Decimal | None) -> Money | None:
    return Money(amount) if amount is not None else None


async def viewer_roles(info: Info) -> frozenset[str]:
    claims = await info.context.viewer()
    return claims.roles if claims else frozenset()


async def is_staff(info: Info) -> bool:
    return bool(STAFF_ROLES & await viewer_roles(info))


@strawberry.type
class ProductImage:
    id: strawberry.ID
    url: str
    alt_text: str | None
    sort_order: int
    is_primary: bool
    created_at: datetime

    @classmethod
    def from_model(cls, row: models.ProductImage) -> ProductImage:
        return cls(
            id=strawberry.ID(row.id),
            url=row.url,
            alt_text=row.alt_text,
            sort_order=row.sort_order,
            is_primary=row.is_primary,
            created_at=row.created_at,
        )


@strawberry.federation.type(keys=["id"])
class Category:
    id: strawberry.ID
    name: str
    slug: str
    description: str | None
    level: int = strawberry.field(description="Depth in the tree; roots are 0.")
    sort_order: int
    image_url: str | None
    is_active: bool
    created_at: datetime
    updated_at: datetime
    parent_id: strawberry.Private[str | None]
    row: strawberry.Private[models.Category]

    @classmethod
    def from_model(cls, row: models.Category) -> Category:
        return cls(
            id=strawberry.ID(row.id),
            name=row.name,
            slug=row.slug,
            description=row.description,
            level=row.level,
            sort_order=row.sort_order,
            image_url=row.image_url,
            is_active=row.is_active,
            created_at=row.created_at,
            updated_at=row.updated_at,
            parent_id=row.parent_id,
            row=row,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Category | None:
        row = await info.context.loader(categories.categories_by_ids).load(str(id))
        return await category_of(info, row)

    @strawberry.field
    async def parent(self, info: Info) -> Category | None:
        if self.parent_id is None:
            return None
        row = await info.context.loader(categories.categories_by_ids).load(self.parent_id)
        return await category_of(info, row)

    @strawberry.field
    async def children(self, info: Info) -> list[Category]:
        rows = await info.context.loader(categories.children_by_parent_ids).load(self.id)
        return await categories_of(info, rows)

    @strawberry.field(description="The ancestors and this category, root first.")
    async def breadcrumbs(self, info: Info) -> list[Category]:
        return await categories_of(info, await categories.breadcrumbs(info.context.db, self.row))


async def category_of(info: Info, row: models.Category | None) -> Category | None:
    if row is None or not (row.is_active or await is_staff(info)):
        return None
    return Category.from_model(row)


async def categories_of(info: Info, rows: list[models.Category]) -> list[Category]:
    staff = await is_staff(info)
    return [Category.from_model(row) for row in rows if row.is_active or staff]


@strawberry.federation.type(keys=["id"])
class ProductVariant:
    id: strawberry.ID
    sku: str
    name: str
    price: Money | None = strawberry.field(description="Overrides the product's price when set.")
    compare_at_price: Money | None
    attributes: JSON = strawberry.field(description='Options, e.g. {"size": "M"}.')
    image_url: str | None
    created_at: datetime
    updated_at: datetime
    product_id: strawberry.Private[str]

    @classmethod
    def from_model(cls, row: models.ProductVariant) -> ProductVariant:
        return cls(
            id=strawberry.ID(row.id),
            sku=row.sku,
            name=row.name,
            price=optional_money(row.price),
            compare_at_price=optional_money(row.compare_at_price),
            attributes=JSON(row.attributes),
            image_url=row.image_url,
            created_at=row.created_at,
            updated_at=row.updated_at,
            product_id=row.product_id,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> ProductVariant | None:
        row = await info.context.loader(variants.variants_by_ids).load(str(id))
        if row is None or await load_product(info, row.product_id) is None:
            return None
        return cls.from_model(row)

    @strawberry.field
    async def product(self, info: Info) -> Product | None:
        return await load_product(info, self.product_id)

    @strawberry.field
    async def stock(self, info: Info) -> inventory.ProductStock:
        return await inventory.variant_stock(info, self.id)

    @strawberry.field(description="Staff only (null for everyone else): rows per location.")
    async def inventory(self, info: Info) -> list[inventory.InventoryLevel] | None:
        return await inventory.variant_inventory(info, self.id)


@strawberry.federation.type(keys=["id"])
class Product:
    id: strawberry.ID
    sku: str
    name: str
    slug: str
    description: str | None
    short_description: str | None
    price: Money
    currency: str
    compare_at_price: Money | None
    status: models.ProductStatus
    is_visible: bool
    weight: Decimal | None
    length: Decimal | None
    width: Decimal | None
    height: Decimal | None
    meta_title: str | None
    meta_description: str | None
    attributes: JSON = strawberry.field(description="An object of strings, numbers, booleans.")
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None = strawberry.field(description="When first made active.")
    row: strawberry.Private[models.Product]

    @classmethod
    def from_model(cls, row: models.Product) -> Product:
        return cls(
            id=strawberry.ID(row.id),
            **{name: getattr(row, name) for name in _PRODUCT_COLUMNS},
            status=models.ProductStatus(row.status),
            row=row,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Product | None:
        return await load_product(info, str(id))

    @strawberry.field(description="Admins only; null for everyone else.")
    async def cost_price(self, info: Info) -> Money | None:
        if not catalog.ADMIN_ROLES & await viewer_roles(info):
            return None
        return optional_money(self.row.cost_price)

    @strawberry.field
    async def categories(self, info: Info) -> list[Category]:
        rows = await info.context.loader(categories.categories_by_product_ids).load(self.id)
        return await categories_of(info, rows)

    @strawberry.field
    async def variants(self, info: Info) -> list[ProductVariant]:
        rows = await info.context.loader(variants.variants_by_product_ids).load(self.id)
        return [ProductVariant.from_model(row) for row in rows]

    @strawberry.field(description="In display order.")
    async def images(self, info: Info) -> list[ProductImage]:
        rows = await info.context.loader(images.images_by_product_ids).load(self.id)
        return [ProductImage.from_model(row) for row in rows]

    @strawberry.field
    async def primary_image(self, info: Info) -> ProductImage | None:
        rows = await info.context.loader(images.images_by_product_ids).load(self.id)
        primary = next((row for row in rows if row.is_primary), None)
        return ProductImage.from_model(primary) if primary else None

    @strawberry.field(description="Lower-case, sorted.")
    async def tags(self, info: Info) -> list[str]:
        return await info.context.loader(catalog.tags_by_product_ids).load(self.id)

    @strawberry.field(
        description="Public products bought together with this one first, then those sharing "
        f"its categories and tags. first is at most {search.MAX_RELATED}."
    )
    async def related_products(self, info: Info, first: int = 5) -> list[Product]:
        loader = info.context.loader(search.related_products_by_keys)
        # The DataLoader raises a key's DomainError instead of returning it.
        rows = cast("list[models.Product]", await loader.load((self.id, first)))
        return [Product.from_model(row) for row in rows]

    @strawberry.field(description="At all locations, variants included.")
    async def stock(self, info: Info) -> inventory.ProductStock:
        return await inventory.product_stock(info, self.id)

    @strawberry.field(description="Staff only (null for everyone else): rows per location.")
    async def inventory(self, info: Info) -> list[inventory.InventoryLevel] | None:
        return await inventory.product_inventory(info, self.id)

    @strawberry.field(description="Mean rating of the approved reviews; 0 when there are none.")
    def average_rating(self) -> float:
        return float(self.row.average_rating)

    @strawberry.field(description="How many approved reviews there are.")
    def review_count(self) -> int:
        return self.row.review_count

    @strawberry.field(description="Newest first: approved ones, the caller's own; staff see all.")
    async def reviews(
        self, info: Info, first: int = 10, after: str | None = None
    ) -> reviews.ProductReviewConnection:
        return await reviews.product_reviews(info, self.id, first, after)


_PRODUCT_COLUMNS = (
    "sku",
    "name",
    "slug",
    "description",
    "short_description",
    "price",
    "currency",
    "compare_at_price",
    "is_visible",
    "weight",
    "length",
    "width",
    "height",
    "meta_title",
    "meta_description",
    "attributes",
    "created_at",
    "updated_at",
    "published_at",
)


async def load_product(info: Info, product_id: str) -> Product | None:
    row = await info.context.loader(catalog.products_by_ids).load(product_id)
    return await product_of(info, row)


async def product_of(info: Info, row: models.Product | None) -> Product | None:
    """The product as the caller may see it: null when hidden from them."""
    if row is None or not catalog.can_see(row, await viewer_roles(info)):
        return None
    return Product.from_model(row)


@strawberry.type
class ProductEdge:
    cursor: str
    node: Product


@strawberry.type
class ProductConnection:
    edges: list[ProductEdge]
    page_info: PageInfo

    @classmethod
    def from_page(cls, page: Page[models.Product]) -> ProductConnection:
        edges = [
            ProductEdge(cursor=encode_cursor(row), node=Product.from_model(row))
            for row in page.rows
        ]
        return cls(edges=edges, page_info=PageInfo.from_page(page))
