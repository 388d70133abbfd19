"""Operations on the products subgraph (with auth and users) sent to our router and
Apollo's gateway over the catalog ``tests.router.fixtures.platform`` seeds: lookups,
search with facets, reviews, wishlists joined to products, what each role sees, and
errors. As in ``platform_corpus``, nothing here changes state.

Searches keep to the seeded category tree: the products database is shared with other
tests of the session. Add a case by adding an entry.
"""

from __future__ import annotations

from typing import Any

from tests.router.fixtures.platform import Seed, Viewer
from tests.router.gateway.platform_corpus import UNKNOWN_ID, PlatformCase, Variables

PAGING = {"sort", "first", "after"}


def product_id(key: str) -> Variables:
    return lambda seed: {"id": seed.catalog.product_ids[key]}


def tea_search(**given: Any) -> Variables:
    """A search inside the seeded tree: ``given`` adds to the filter, or sets sort and first."""
    criteria = {key: value for key, value in given.items() if key not in PAGING}
    paging = {key: value for key, value in given.items() if key in PAGING}
    return lambda seed: {
        "filter": {"categoryId": seed.catalog.category_ids["tea"], **criteria},
        **paging,
    }


def after_search_cursor(sort: str) -> Variables:
    """A page of one after the seed's cursor, which a PRICE_ASC search made."""
    return lambda seed: {
        **tea_search(sort=sort, first=1)(seed),
        "after": seed.catalog.search_cursor,
    }


PRODUCT_FIELDS = """sku name price compareAtPrice currency status isVisible tags attributes
  categories { name level } variants { name price attributes stock { inStock availableQuantity } }
  images { url sortOrder isPrimary } primaryImage { url }
  stock { inStock availableQuantity } averageRating reviewCount"""

SEARCH = """
query Search($filter: ProductFilter, $sort: ProductSort! = RELEVANCE, $first: Int! = 20,
             $after: String) {
  products(filter: $filter, sort: $sort, first: $first, after: $after) {
    totalCount
    edges { cursor node { name price } }
    pageInfo { hasNextPage endCursor }
    facets {
      categories { category { name parent { name } } count }
      priceBands { min max count }
      attributes { name values { value count } }
    }
  }
}
"""

REVIEWS = """
query ($id: ID!) { product(id: $id) { name averageRating reviewCount
  reviews { edges { node { rating title isApproved author { id } } } pageInfo { hasNextPage } } } }
"""

LOOKUPS = [
    PlatformCase(
        "category tree from its root",
        """query ($id: ID!) { category(id: $id) { name level parent { name }
             children { name level parent { name } breadcrumbs { name } } } }""",
        variables=lambda seed: {"id": seed.catalog.category_ids["tea"]},
    ),
    PlatformCase(
        "product by id: variants, images, stock",
        f"query ($id: ID!) {{ product(id: $id) {{ {PRODUCT_FIELDS} }} }}",
        Viewer.CUSTOMER,
        product_id("kettle"),
    ),
    PlatformCase(
        "product by slug, with aliases and a fragment",
        """query ($slug: String!) { item: product(slug: $slug) { ...Card
             options: variants { label: name } } }
           fragment Card on Product { title: name price primaryImage { url } }""",
        variables=lambda seed: {"slug": seed.catalog.product_slugs["kettle"]},
    ),
    PlatformCase(
        "unknown product and category are null",
        f"""{{ product(id: "{UNKNOWN_ID}") {{ name }} category(id: "{UNKNOWN_ID}") {{ name }}
             byName: product(slug: "no-such-product") {{ name }} }}""",
    ),
    PlatformCase(
        "related products",
        "query ($id: ID!) { product(id: $id) { relatedProducts(first: 3) { name } } }",
        variables=product_id("teapot"),
    ),
]

VISIBILITY = [
    PlatformCase(
        "a draft is hidden from customers",
        "query ($id: ID!) { product(id: $id) { name status } }",
        Viewer.CUSTOMER,
        product_id("samovar"),
    ),
    PlatformCase(
        "staff see the draft",
        "query ($id: ID!) { product(id: $id) { name status } }",
        Viewer.SUPPORT,
        product_id("samovar"),
    ),
    PlatformCase(
        "admin sees cost price and inventory rows",
        """query ($id: ID!) { product(id: $id) { costPrice
             inventory { location quantity reserved available }
             variants { name inventory { quantity } } } }""",
        Viewer.ADMIN,
        product_id("kettle"),
    ),
    PlatformCase(
        "support sees inventory rows but no cost price",
        "query ($id: ID!) { product(id: $id) { costPrice inventory { quantity } } }",
        Viewer.SUPPORT,
        product_id("kettle"),
    ),
    PlatformCase(
        "customer sees neither cost price nor inventory rows",
        "query ($id: ID!) { product(id: $id) { costPrice inventory { quantity } } }",
        Viewer.CUSTOMER,
        product_id("kettle"),
    ),
    PlatformCase(
        "staff search every status",
        SEARCH,
        Viewer.ADMIN,
        tea_search(statuses=["DRAFT", "ACTIVE"], sort="PRICE_DESC"),
    ),
]

SEARCHES = [
    PlatformCase(
        "text search in a category tree with facets",
        SEARCH,
        Viewer.CUSTOMER,
        tea_search(text="kettle", sort="PRICE_ASC"),
    ),
    PlatformCase(
        "tag and attribute filters, first page of one",
        SEARCH,
        variables=tea_search(
            tags=["TEA"],
            attributes=[{"name": "material", "values": ["copper", "cast iron"]}],
            sort="PRICE_DESC",
            first=1,
        ),
    ),
    PlatformCase(
        "price range, stock and rating filters",
        SEARCH,
        Viewer.CUSTOMER,
        tea_search(minPrice="40", maxPrice="80", inStock=True, minRating="4"),
    ),
    PlatformCase(
        "second page after a cursor",
        SEARCH,
        Viewer.CUSTOMER,
        after_search_cursor("PRICE_ASC"),
    ),
    PlatformCase(
        "only the counts, inline filter",
        """query ($id: ID!) { products(filter: {categoryId: $id, text: "teapot"}) {
             totalCount facets { priceBands { min max count } } } }""",
        variables=lambda seed: {"id": seed.catalog.category_ids["tea"]},
    ),
]

REVIEWS_AND_WISHLISTS = [
    PlatformCase(
        "reviews: anyone sees approved ones",
        REVIEWS,
        variables=product_id("kettle"),
    ),
    PlatformCase(
        "reviews: the author sees their pending one",
        REVIEWS,
        Viewer.OTHER_CUSTOMER,
        product_id("teapot"),
    ),
    PlatformCase(
        "reviews: another customer does not",
        REVIEWS,
        Viewer.CUSTOMER,
        product_id("teapot"),
    ),
    PlatformCase(
        "reviews' authors joined to auth and users, for staff",
        """query ($id: ID!) { product(id: $id) { reviews { edges { node { rating
             author { email roles profile { email } } } } } } }""",
        Viewer.SUPPORT,
        product_id("kettle"),
    ),
    PlatformCase(
        "a review's author's email is not another customer's to read",
        """query ($id: ID!) { product(id: $id) { name reviews { edges { node { rating
             author { id email } } } } } }""",
        Viewer.OTHER_CUSTOMER,
        product_id("kettle"),
        codes=("FORBIDDEN",),
    ),
    PlatformCase(
        "wishlist joined to products: a draft comes back as a null product",
        "{ me { email wishlist { product { name price stock { inStock } } } } }",
        Viewer.OTHER_CUSTOMER,
    ),
    PlatformCase(
        "wishlist of products the catalog does not know",
        "{ me { email wishlist { notes product { id name } } } }",
        Viewer.CUSTOMER,
    ),
    PlatformCase(
        "staff read a customer's wishlist with the draft in it",
        """query ($id: ID!) { user(id: $id) { email wishlist { product { name status
             categories { name } } } } }""",
        Viewer.SUPPORT,
        lambda seed: {"id": seed.user_id(Viewer.OTHER_CUSTOMER)},
    ),
]

PRODUCT_ERRORS = [
    PlatformCase(
        "customer filters by status",
        SEARCH,
        Viewer.CUSTOMER,
        tea_search(statuses=["DRAFT"]),
        codes=("FORBIDDEN",),
    ),
    PlatformCase(
        "negative minimum price",
        SEARCH,
        variables=tea_search(minPrice="-1"),
        codes=("BAD_USER_INPUT",),
    ),
    PlatformCase(
        "maximum price below the minimum",
        SEARCH,
        variables=tea_search(minPrice="50", maxPrice="10"),
        codes=("BAD_USER_INPUT",),
    ),
    PlatformCase(
        "a price that is not a number",
        SEARCH,
        variables=tea_search(minPrice="cheap"),
        codes=("BAD_USER_INPUT",),
    ),
    PlatformCase(
        "a sort the enum does not have",
        SEARCH,
        variables=tea_search(sort="CHEAPEST"),
        codes=("BAD_USER_INPUT",),
    ),
    PlatformCase(
        "a page too large",
        SEARCH,
        variables=tea_search(first=101),
        codes=("BAD_USER_INPUT",),
    ),
    PlatformCase(
        "a cursor of another sort",
        SEARCH,
        variables=after_search_cursor("NEWEST"),
        codes=("INVALID_CURSOR",),
    ),
    PlatformCase(
        "product by id and slug at once",
        'query ($id: ID!) { product(id: $id, slug: "kettle") { name } }',
        variables=product_id("kettle"),
        codes=("BAD_USER_INPUT",),
    ),
    PlatformCase(
        "too many related products: the error at its path",
        """query ($id: ID!) { product(id: $id) { name relatedProducts(first: 21) { name }
             stock { inStock } } }""",
        variables=product_id("kettle"),
        codes=("BAD_USER_INPUT",),
    ),
    PlatformCase(
        "stockCheck is not in the router's API",
        '{ stockCheck(lines: [{productId: "x", quantity: 1}]) { available } }',
        Viewer.ADMIN,
        codes=("GRAPHQL_VALIDATION_FAILED",),
    ),
]

PRODUCT_INPUT = """{sku: "DIFF-NEW-1", name: "Enamel Kettle", price: "30.00",
                    categoryIds: [$category], status: ACTIVE}"""


def kettles(seed: Seed) -> dict[str, Any]:
    return {"category": seed.catalog.category_ids["kettles"]}


REJECTED_PRODUCT_MUTATIONS = [
    PlatformCase(
        "anonymous product create",
        f"""mutation ($category: ID!) {{ productCreate(input: {PRODUCT_INPUT}) {{
             product {{ id }} }} }}""",
        variables=kettles,
        codes=("UNAUTHENTICATED",),
    ),
    PlatformCase(
        "customer product create: admin only",
        f"""mutation ($category: ID!) {{ productCreate(input: {PRODUCT_INPUT}) {{
             product {{ id }} }} }}""",
        Viewer.CUSTOMER,
        kettles,
        codes=("FORBIDDEN",),
    ),
    PlatformCase(
        "product create with a taken SKU",
        """mutation ($category: ID!, $sku: String!) { productCreate(input: {sku: $sku,
             name: "Second Kettle", price: "30.00", categoryIds: [$category]}) {
             product { id } } }""",
        Viewer.ADMIN,
        lambda seed: {**kettles(seed), "sku": f"{seed.marker}-kettle"},
        codes=("DUPLICATE_SKU",),
    ),
    PlatformCase(
        "product create with a negative price",
        """mutation ($category: ID!) { productCreate(input: {sku: "DIFF-NEG-1",
             name: "Free Kettle", price: "-5.00", categoryIds: [$category]}) {
             product { id } } }""",
        Viewer.ADMIN,
        kettles,
        codes=("INVALID_PRICE",),
    ),
    PlatformCase(
        "product create without a category",
        """mutation { productCreate(input: {sku: "DIFF-LOST-1", name: "Lost Kettle",
             price: "5.00", categoryIds: []}) { product { id } } }""",
        Viewer.ADMIN,
        codes=("CATEGORY_REQUIRED",),
    ),
    PlatformCase(
        "support archives a product: admin only",
        "mutation ($id: ID!) { productArchive(input: {id: $id}) { product { status } } }",
        Viewer.SUPPORT,
        product_id("kettle"),
        codes=("FORBIDDEN",),
    ),
    PlatformCase(
        "updating an unknown product",
        f"""mutation {{ productUpdate(input: {{id: "{UNKNOWN_ID}", price: "1.00"}}) {{
             product {{ price }} }} }}""",
        Viewer.ADMIN,
        codes=("NOT_FOUND",),
    ),
    PlatformCase(
        "deleting a category that holds products",
        "mutation ($id: ID!) { categoryDelete(input: {id: $id}) { deletedId } }",
        Viewer.ADMIN,
        lambda seed: {"id": seed.catalog.category_ids["kettles"]},
        codes=("CATEGORY_NOT_EMPTY",),
    ),
    PlatformCase(
        "moving a category under its own child",
        """mutation ($id: ID!, $child: ID!) { categoryMove(input: {id: $id, parentId: $child}) {
             category { level } } }""",
        Viewer.ADMIN,
        lambda seed: {
            "id": seed.catalog.category_ids["tea"],
            "child": seed.catalog.category_ids["teapots"],
        },
        codes=("CATEGORY_CYCLE",),
    ),
    PlatformCase(
        "taking out more stock than there is",
        """mutation ($id: ID!) { inventoryAdjust(input: {productId: $id, delta: -1000,
             reason: "stock count"}) { inventory { quantity } } }""",
        Viewer.ADMIN,
        product_id("kettle"),
        codes=("STOCK_BELOW_RESERVED",),
    ),
    PlatformCase(
        "a second review of the same product",
        """mutation ($id: ID!) { productReviewCreate(input: {productId: $id, rating: 1}) {
             review { id } } }""",
        Viewer.CUSTOMER,
        product_id("kettle"),
        codes=("REVIEW_ALREADY_EXISTS",),
    ),
    PlatformCase(
        "voting for one's own review",
        "mutation ($id: ID!) { productReviewVote(input: {id: $id}) { review { helpfulCount } } }",
        Viewer.CUSTOMER,
        lambda seed: {"id": seed.catalog.approved_review_id},
        codes=("OWN_REVIEW_VOTE",),
    ),
    PlatformCase(
        "customer approves a review: staff only",
        "mutation ($id: ID!) { productReviewApprove(input: {id: $id}) { review { id } } }",
        Viewer.CUSTOMER,
        lambda seed: {"id": seed.catalog.pending_review_id},
        codes=("FORBIDDEN",),
    ),
    PlatformCase(
        "stockReserve is not in the router's API",
        """mutation ($id: ID!) { stockReserve(input: {reservationKey: "diff",
             lines: [{productId: $id, quantity: 1}]}) { status } }""",
        Viewer.ADMIN,
        product_id("kettle"),
        codes=("GRAPHQL_VALIDATION_FAILED",),
    ),
    PlatformCase(
        "rejected mutations on products and users in sequence",
        f"""mutation {{ a: productArchive(input: {{id: "{UNKNOWN_ID}"}}) {{ product {{ id }} }}
             b: addressDelete(input: {{id: "{UNKNOWN_ID}"}}) {{ deletedId }} }}""",
        Viewer.ADMIN,
        codes=("NOT_FOUND", "NOT_FOUND"),
    ),
]

PRODUCTS_CASES = [
    *LOOKUPS,
    *VISIBILITY,
    *SEARCHES,
    *REVIEWS_AND_WISHLISTS,
    *PRODUCT_ERRORS,
    *REJECTED_PRODUCT_MUTATIONS,
]

PRODUCTS_DOWN_CASES = [
    PlatformCase(
        "wishlist's nullable product fields with products down",
        """{ me { email wishlist { notes product { id compareAtPrice
             primaryImage { url } } } } }""",
        Viewer.OTHER_CUSTOMER,
        codes=("INTERNAL_SERVER_ERROR",),
    ),
    PlatformCase(
        "a users root field beside a products one with products down",
        "query ($id: ID!) { myProfile { email } product(id: $id) { name } }",
        Viewer.CUSTOMER,
        product_id("kettle"),
        codes=("INTERNAL_SERVER_ERROR",),
    ),
    PlatformCase(
        "search, a non-null root, with products down nulls data",
        "{ products { totalCount } myProfile { email } }",
        Viewer.CUSTOMER,
        codes=("INTERNAL_SERVER_ERROR",),
    ),
]

# Run with auth unreachable: the reviews come, their authors' auth fields do not.
AUTH_DOWN_CASES = [
    PlatformCase(
        "reviews' authors with auth down",
        """query ($id: ID!) { product(id: $id) { name reviews { edges { node { rating
             author { id lastLoginAt } } } } } }""",
        Viewer.SUPPORT,
        product_id("kettle"),
        codes=("INTERNAL_SERVER_ERROR",),
    ),
]
