"""The products subgraph's schema: each area's Query and Mutation merged into one."""

from __future__ import annotations

from strawberry.tools import merge_types

from shared.graphql import SubgraphSchema
from subgraphs.products.api import (
    catalog,
    categories,
    images,
    imports,
    inventory,
    reviews,
    search,
    variants,
)
from subgraphs.products.api.types import Category, Product, ProductVariant

Query = merge_types("Query", (catalog.Query, categories.Query, inventory.Query, search.Query))
Mutation = merge_types(
    "Mutation",
    (
        catalog.Mutation,
        variants.Mutation,
        images.Mutation,
        categories.Mutation,
        inventory.Mutation,
        reviews.Mutation,
        imports.Mutation,
    ),
)

schema = SubgraphSchema(query=Query, mutation=Mutation, types=[Product, ProductVariant, Category])
