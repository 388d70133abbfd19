"""``products``: search and browse the catalog, with facets for the same query.

``totalCount`` and ``facets`` cost statements of their own, run only when selected.
"""

from __future__ import annotations

from decimal import Decimal

import strawberry

from shared.graphql import Money, PageInfo
from subgraphs.products import models, search
from subgraphs.products.api.types import (
    Category,
    Info,
    Product,
    ProductEdge,
    is_staff,
    optional_money,
)

# strawberry.enum marks the class as this GraphQL enum.
strawberry.enum(search.ProductSort, name="ProductSort")


@strawberry.input(description="Products whose attribute `name` has one of `values`.")
class AttributeFilterInput:
    name: str
    values: list[str]


@strawberry.input(
    description="Every given criterion must hold; within tags or an attribute's values, any one."
)
class ProductFilter:
    text: str | None = strawberry.field(
        default=None,
        description="Words of the name, description, SKU or tags; tolerates typos in the "
        'name and SKU. Supports "quoted phrases", OR and -excluded words.',
    )
    category_id: strawberry.ID | None = strawberry.field(
        default=None, description="The category or any of its descendants."
    )
    min_price: Money | None = None
    max_price: Money | None = None
    in_stock: bool | None = strawberry.field(
        default=None, description="Whether some stock is available (not reserved)."
    )
    tags: list[str] | None = None
    attributes: list[AttributeFilterInput] | None = None
    min_rating: Decimal | None = None
    statuses: list[models.ProductStatus] | None = strawberry.field(
        default=None,
        description="Staff only; staff see every status by default, customers active ones.",
    )

    def criteria(self) -> search.ProductFilter:
        return search.ProductFilter(
            text=self.text,
            category_id=str(self.category_id) if self.category_id is not None else None,
            min_price=self.min_price,
            max_price=self.max_price,
            in_stock=self.in_stock,
            tags=tuple(self.tags or ()),
            attributes=tuple(
                search.AttributeFilter(given.name, tuple(given.values))
                for given in self.attributes or ()
            ),
            min_rating=self.min_rating,
            statuses=tuple(self.statuses or ()),
        )


@strawberry.type
class CategoryFacet:
    category: Category
    count: int


@strawberry.type(description="Products priced from `min` up to `max` (none: no upper bound).")
class PriceBandFacet:
    min: Money
    max: Money | None
    count: int


@strawberry.type
class AttributeValueFacet:
    value: str
    count: int


@strawberry.type
class AttributeFacet:
    name: str
    values: list[AttributeValueFacet]


@strawberry.type(description="Counts of the matching products (every filter applied).")
class ProductFacets:
    categories: list[CategoryFacet] = strawberry.field(
        description="The categories the products are in directly, most first."
    )
    price_bands: list[PriceBandFacet] = strawberry.field(
        description="Non-empty price bands, cheapest first."
    )
    attributes: list[AttributeFacet] = strawberry.field(
        description="The most common values of each attribute."
    )

    @classmethod
    def from_facets(cls, facets: search.Facets) -> ProductFacets:
        return cls(
            categories=[
                CategoryFacet(category=Category.from_model(c.category), count=c.count)
                for c in facets.categories
            ],
            price_bands=[
                PriceBandFacet(min=Money(b.min), max=optional_money(b.max), count=b.count)
                for b in facets.price_bands
            ],
            attributes=[
                AttributeFacet(
                    name=a.name,
                    values=[AttributeValueFacet(value=v.value, count=v.count) for v in a.values],
                )
                for a in facets.attributes
            ],
        )


@strawberry.type
class ProductSearchConnection:
    edges: list[ProductEdge]
    page_info: PageInfo
    matching: strawberry.Private[search.Search]

    @strawberry.field(description="How many products match, on every page.")
    async def total_count(self, info: Info) -> int:
        return await search.count_products(info.context.db, self.matching)

    @strawberry.field
    async def facets(self, info: Info) -> ProductFacets:
        facets = await search.product_facets(info.context.db, self.matching)
        return ProductFacets.from_facets(facets)


@strawberry.type
class Query:
    @strawberry.field(
        description="Search and browse products. Customers see active, visible products. "
        "RELEVANCE without a text orders as NEWEST; first is at most 100."
    )
    async def products(
        self,
        info: Info,
        filter: ProductFilter | None = None,
        sort: search.ProductSort = search.ProductSort.RELEVANCE,
        first: int = 20,
        after: str | None = None,
    ) -> ProductSearchConnection:
        criteria = (filter or ProductFilter()).criteria()
        matching = search.product_search(criteria, staff=await is_staff(info))
        page = await search.search_products(
            info.context.db, matching, sort, first=first, after=after
        )
        edges = [
            ProductEdge(cursor=cursor, node=Product.from_model(row))
            for row, cursor in zip(page.products, page.cursors, strict=True)
        ]
        end_cursor = page.cursors[-1] if page.cursors else None
        return ProductSearchConnection(
            edges=edges,
            page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=end_cursor),
            matching=matching,
        )
