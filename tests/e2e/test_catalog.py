"""The demo catalog through the router, as a shop's client sees it: browsing, searching,
a wishlist joined from users to products, an admin adding a product, and the checkout's
stock operations kept out of the router's API.

Expectations come from the demo generator itself (``subgraphs/products/demo.py``), which
``commerce dev`` seeds into the fresh database."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from subgraphs.products.demo import CATEGORIES, DemoProduct, demo_products
from tests.e2e.platform import Platform

pytestmark = pytest.mark.platform

DEMO = {item.sku: item for item in demo_products()}
SPEAKER = DEMO["DEMO-AUD-000001"]  # two variants, two images, one review
SPEAKER_SLUG = "harbor-compact-speaker"

QUERY_CATEGORY_TREE = """
{ categories { slug name level children { slug name level breadcrumbs { slug } } } }
"""

QUERY_SEARCH = """
query Search($filter: ProductFilter, $sort: ProductSort!, $first: Int!, $after: String) {
  products(filter: $filter, sort: $sort, first: $first, after: $after) {
    totalCount
    edges { node { id name price } }
    pageInfo { hasNextPage endCursor }
    facets {
      categories { category { slug } count }
      attributes { name values { value count } }
    }
  }
}
"""

QUERY_PRODUCT_PAGE = """
query ($slug: String!) {
  product(slug: $slug) {
    sku name price compareAtPrice costPrice
    categories { slug }
    variants { sku name attributes stock { availableQuantity } }
    images { url isPrimary }
    stock { inStock availableQuantity }
    averageRating reviewCount
    reviews { edges { node { rating title comment } } pageInfo { hasNextPage } }
  }
}
"""

QUERY_PRODUCT_ID = "query ($slug: String!) { product(slug: $slug) { id } }"

MUTATION_WISHLIST_ITEM_ADD = """
mutation ($input: WishlistItemAddInput!) { wishlistItemAdd(input: $input) { item { notes } } }
"""

QUERY_MY_WISHLIST = """
{ me { email profile { email } wishlist { notes product { name price } } } }
"""

QUERY_CATEGORY_ID = "query ($slug: String!) { category(slug: $slug) { id } }"

MUTATION_PRODUCT_CREATE = """
mutation ($input: ProductCreateInput!) {
  productCreate(input: $input) { product { sku slug status price costPrice tags } }
}
"""

QUERY_TEXT_SEARCH = """
query ($text: String!) {
  products(filter: {text: $text}) { totalCount edges { node { sku name price costPrice } } }
}
"""

MUTATION_STOCK_RESERVE = """
mutation ($productId: ID!) {
  stockReserve(input: {reservationKey: "e2e", lines: [{productId: $productId, quantity: 1}]}) {
    status
  }
}
"""

QUERY_STOCK = "query ($slug: String!) { product(slug: $slug) { stock { availableQuantity } } }"


def test_the_category_tree_is_the_demo_one(platform: Platform) -> None:
    # when
    answer = platform.query(QUERY_CATEGORY_TREE)

    # then
    roots = sorted((c for c in CATEGORIES if c.parent_slug is None), key=lambda c: c.name)
    assert answer == {
        "data": {
            "categories": [
                {
                    "slug": root.slug,
                    "name": root.name,
                    "level": 0,
                    "children": [
                        {
                            "slug": child.slug,
                            "name": child.name,
                            "level": 1,
                            "breadcrumbs": [{"slug": root.slug}, {"slug": child.slug}],
                        }
                        for child in sorted(CATEGORIES, key=lambda c: c.name)
                        if child.parent_slug == root.slug
                    ],
                }
                for root in roots
            ]
        }
    }


def test_a_search_combines_text_a_price_filter_a_sort_and_facets(platform: Platform) -> None:
    # given
    variables = {
        "filter": {"text": "headphones", "maxPrice": "300"},
        "sort": "PRICE_ASC",
        "first": 3,
    }

    # when
    answer = platform.query(QUERY_SEARCH, variables)

    # then
    matching = _demo(lambda item: item.name.endswith(" Headphones") and item.price <= 300)
    found = answer["data"]["products"]
    assert [edge["node"]["name"] for edge in found["edges"]] == [i.name for i in matching[:3]]
    assert [edge["node"]["price"] for edge in found["edges"]] == [
        str(i.price) for i in matching[:3]
    ]
    assert found["totalCount"] == len(matching)
    assert found["pageInfo"]["hasNextPage"] is True
    assert found["facets"] == {
        "categories": [{"category": {"slug": "audio"}, "count": len(matching)}],
        "attributes": [
            {"name": name, "values": _value_counts(matching, name)}
            for name in ("colour", "connectivity")
        ],
    }


def test_a_product_page_shows_variants_images_stock_and_reviews(platform: Platform) -> None:
    # when
    answer = platform.query(QUERY_PRODUCT_PAGE, {"slug": SPEAKER_SLUG})

    # then
    product = answer["data"]["product"]
    # Variants seeded in one statement may share a creation time: compare them by SKU.
    product["variants"].sort(key=lambda variant: variant["sku"])
    ratings = [review.rating for review in SPEAKER.reviews]
    assert answer == {
        "data": {
            "product": {
                "sku": SPEAKER.sku,
                "name": SPEAKER.name,
                "price": str(SPEAKER.price),
                "compareAtPrice": str(SPEAKER.compare_at_price),
                "costPrice": None,
                "categories": [{"slug": "audio"}],
                "variants": [
                    {
                        "sku": variant.sku,
                        "name": variant.name,
                        "attributes": variant.attributes,
                        "stock": {"availableQuantity": variant.stock},
                    }
                    for variant in sorted(SPEAKER.variants, key=lambda variant: variant.sku)
                ],
                "images": [
                    {"url": url, "isPrimary": index == 0}
                    for index, url in enumerate(SPEAKER.image_urls)
                ],
                "stock": {
                    "inStock": True,
                    "availableQuantity": SPEAKER.stock + sum(v.stock for v in SPEAKER.variants),
                },
                "averageRating": round(sum(ratings) / len(ratings), 2),
                "reviewCount": len(ratings),
                "reviews": {
                    "edges": [
                        {"node": {"rating": r.rating, "title": r.title, "comment": r.comment}}
                        for r in SPEAKER.reviews
                    ],
                    "pageInfo": {"hasNextPage": False},
                },
            }
        }
    }


def test_cursor_pages_walk_a_category_tree_without_gaps_or_repeats(platform: Platform) -> None:
    # given
    books = platform.query(QUERY_CATEGORY_ID, {"slug": "books"})["data"]["category"]["id"]
    browse = {"filter": {"categoryId": books}, "sort": "PRICE_ASC"}

    # when: pages of two, where the cheapest books share a price and the cursor their ids
    pages: list[dict[str, Any]] = []
    after: str | None = None
    for _ in range(4):
        page = platform.query(QUERY_SEARCH, {**browse, "first": 2, "after": after})
        pages.append(page["data"]["products"])
        after = pages[-1]["pageInfo"]["endCursor"]
    whole = platform.query(QUERY_SEARCH, {**browse, "first": 8})["data"]["products"]

    # then
    paged = [edge for page in pages for edge in page["edges"]]
    cheapest = _demo(lambda item: item.category_slug in {"fiction", "non-fiction"})[:8]
    assert [page["pageInfo"]["hasNextPage"] for page in pages] == [True] * 4
    assert paged == whole["edges"]
    assert [edge["node"]["price"] for edge in paged] == [str(item.price) for item in cheapest]


def test_a_customer_wishlist_shows_products_joined_through_the_router(
    platform: Platform,
) -> None:
    # given
    token = platform.sign_up("grace@example.com")
    speaker = platform.query(QUERY_PRODUCT_ID, {"slug": SPEAKER_SLUG})["data"]["product"]
    added = platform.query(
        MUTATION_WISHLIST_ITEM_ADD,
        {"input": {"productId": speaker["id"], "notes": "for the garden"}},
        token,
    )

    # when
    answer = platform.query(QUERY_MY_WISHLIST, token=token)

    # then
    assert added == {"data": {"wishlistItemAdd": {"item": {"notes": "for the garden"}}}}
    assert answer == {
        "data": {
            "me": {
                "email": "grace@example.com",
                "profile": {"email": "grace@example.com"},
                "wishlist": [
                    {
                        "notes": "for the garden",
                        "product": {"name": SPEAKER.name, "price": str(SPEAKER.price)},
                    }
                ],
            }
        }
    }


def test_an_admin_creates_a_product_that_search_then_finds(platform: Platform) -> None:
    # given
    token = platform.sign_up("alan@example.com", roles=("admin",))
    cookware = platform.query(QUERY_CATEGORY_ID, {"slug": "cookware"})["data"]["category"]["id"]
    kettle = {
        "sku": "E2E-KETTLE-1",
        "name": "Copper Whistling Kettle",
        "price": "79.00",
        "costPrice": "31.50",
        "categoryIds": [cookware],
        "status": "ACTIVE",
        "tags": ["Tea", "kitchen"],
    }
    search = {"text": "whistling kettle"}
    before = platform.query(QUERY_TEXT_SEARCH, search, token)

    # when
    created = platform.query(MUTATION_PRODUCT_CREATE, {"input": kettle}, token)

    # then
    as_admin = platform.query(QUERY_TEXT_SEARCH, search, token)
    as_anyone = platform.query(QUERY_TEXT_SEARCH, search)
    found = {"sku": "E2E-KETTLE-1", "name": "Copper Whistling Kettle", "price": "79.00"}
    assert before == {"data": {"products": {"totalCount": 0, "edges": []}}}
    assert created == {
        "data": {
            "productCreate": {
                "product": {
                    "sku": "E2E-KETTLE-1",
                    "slug": "copper-whistling-kettle",
                    "status": "ACTIVE",
                    "price": "79.00",
                    "costPrice": "31.50",
                    "tags": ["kitchen", "tea"],
                }
            }
        }
    }
    assert as_admin == _one_found({**found, "costPrice": "31.50"})
    assert as_anyone == _one_found({**found, "costPrice": None})


def test_stock_reserve_is_not_in_the_routers_api(platform: Platform) -> None:
    # given
    token = platform.sign_up("edsger@example.com", roles=("admin",))
    speaker = platform.query(QUERY_PRODUCT_ID, {"slug": SPEAKER_SLUG})["data"]["product"]
    before = platform.query(QUERY_STOCK, {"slug": SPEAKER_SLUG})

    # when
    response = platform.post(MUTATION_STOCK_RESERVE, {"productId": speaker["id"]}, token)

    # then
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "message": "Cannot query field 'stockReserve' on type 'Mutation'.",
                "locations": [{"line": 3, "column": 3}],
                "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
            }
        ]
    }
    assert platform.query(QUERY_STOCK, {"slug": SPEAKER_SLUG}) == before


def _demo(keep: Callable[[DemoProduct], bool]) -> list[DemoProduct]:
    """The demo products ``keep`` accepts, cheapest first."""
    return sorted((item for item in DEMO.values() if keep(item)), key=lambda item: item.price)


def _value_counts(items: list[DemoProduct], attribute: str) -> list[dict[str, Any]]:
    """An attribute's facet: its values' counts, commonest first, then by value."""
    counts = Counter(item.attributes[attribute] for item in items)
    ordered = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    return [{"value": value, "count": count} for value, count in ordered]


def _one_found(product: dict[str, Any]) -> dict[str, Any]:
    return {"data": {"products": {"totalCount": 1, "edges": [{"node": product}]}}}
