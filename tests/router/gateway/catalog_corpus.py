"""Operations on the catalogue's supergraph, sent to our router and Apollo's gateway.

``CATALOG_CASES`` run with every subgraph up, ``PEOPLE_DOWN_CASES`` with the people
subgraph unreachable. One entry per operation; add a case by adding an entry.
"""

from __future__ import annotations

from tests.router.gateway.corpus import Case

INTERFACES_AND_UNIONS = [
    Case("interface list with __typename", "{ items { __typename sku title } }"),
    Case(
        "interface with fragments per implementation",
        "{ items { sku ... on Book { pages } ... on Movie { minutes } } }",
    ),
    Case("interface field overridden on its implementations", "{ items { sku price } }"),
    Case("interface field from an @interfaceObject", "{ items { sku inStock } }"),
    Case("@interfaceObject root field", "{ restockNeeded { sku inStock } }"),
    Case("@interfaceObject root field with __typename", "{ restockNeeded { __typename sku } }"),
    Case(
        "@interfaceObject root field with implementation fragments",
        "{ restockNeeded { sku title ... on Book { pages } ... on Movie { minutes } } }",
    ),
    Case(
        "interface by argument",
        '{ item(sku: "m1") { __typename title ... on Movie { minutes price } } }',
    ),
    Case("unknown interface item is null", '{ item(sku: "zz") { sku inStock } }'),
    Case(
        "union with a fragment per member",
        """{ search(text: "e") { __typename ... on Book { title pages }
             ... on Movie { title minutes } } }""",
    ),
    Case("union with only __typename", '{ search(text: "a") { __typename } }'),
    Case(
        "union members jumping to other subgraphs",
        """{ search(text: "u") { ... on Book { title price reviews { stars } }
             ... on Movie { price } } }""",
    ),
    Case(
        "interface fragment inside a union",
        '{ search(text: "e") { ... on ProductItem { sku kind inStock } } }',
    ),
    Case(
        "named fragment on a union member",
        'query { search(text: "m") { ...B } } fragment B on Book { title author { id } }',
    ),
    Case(
        "named fragments nested in named fragments",
        """query { items { ...Item } }
           fragment Item on ProductItem { sku ...BookParts }
           fragment BookParts on Book { pages author { id } }""",
    ),
    Case(
        "interface fragment on an object field",
        '{ book(sku: "b2") { ... on ProductItem { title price } } }',
    ),
]

ENUMS_INPUTS_AND_VARIABLES = [
    Case("enum literal in an input object", "{ items(filter: {kind: MOVIE}) { title } }"),
    Case(
        "input object variable",
        "query ($f: ItemFilter) { items(filter: $f) { sku } }",
        {"f": {"kind": "BOOK", "titleContains": "m"}},
    ),
    Case(
        "enum variable inside an input literal",
        "query ($k: Kind) { items(filter: {kind: $k}) { sku kind } }",
        {"k": "MOVIE"},
    ),
    Case("nullable variable left out", "query ($f: ItemFilter) { items(filter: $f) { sku } }"),
    Case("enum output and default argument", "{ reviews { id stars } }"),
    Case(
        "enum variable with a default",
        "query ($s: Stars! = FOUR) { reviews(minStars: $s) { id } }",
    ),
    Case(
        "enum variable given",
        "query ($s: Stars! = FOUR) { reviews(minStars: $s) { id } }",
        {"s": "TWO"},
    ),
    Case(
        "unknown enum value in a variable",
        "query ($s: Stars!) { reviews(minStars: $s) { id } }",
        {"s": "SIX"},
    ),
    Case(
        "unknown input field in a variable",
        "query ($f: ItemFilter) { items(filter: $f) { sku } }",
        {"f": {"colour": "red"}},
    ),
    Case("missing required variable", "query ($sku: ID!) { book(sku: $sku) { title } }"),
    Case(
        "variable used in two subgraphs",
        """query ($sku: ID!) { book(sku: $sku) { title } item(sku: $sku) { sku }
             reviews { id } }""",
        {"sku": "b3"},
    ),
]

MUTATIONS = [
    Case(
        "mutation in one subgraph",
        'mutation { renameBook(sku: "b1", title: "Dune II") { sku title } }',
    ),
    Case(
        "mutation result joined with other subgraphs",
        'mutation { setPrice(sku: "b2", amount: 30) { price title shippingCost } }',
    ),
    Case(
        "mutations in order across subgraphs",
        """mutation { a: setPrice(sku: "b1", amount: 1) { price }
             b: renameBook(sku: "b1", title: "X") { title }
             c: setPrice(sku: "b2", amount: 2) { price } }""",
    ),
    Case(
        "mutation with an input object variable",
        """mutation ($r: ReviewInput!) { addReview(review: $r) { id stars body
             book { title } author { name } } }""",
        {"r": {"sku": "b2", "stars": "FIVE", "body": "ok"}},
    ),
    Case(
        "consecutive mutations of one subgraph",
        """mutation { x: renameBook(sku: "b1", title: "A") { title }
             y: renameBook(sku: "b2", title: "B") { title }
             z: addReview(review: {sku: "b1", stars: ONE}) { stars } }""",
    ),
    Case(
        "operation name picks a mutation",
        'query Q { items { sku } } mutation M { setPrice(sku: "m1", amount: 9) { price } }',
        operation_name="M",
    ),
    Case("mutation __typename", "mutation { __typename }"),
]

SHAREABLE_OVERRIDE_AND_INACCESSIBLE = [
    Case("shareable field at the root", '{ book(sku: "b2") { title } }'),
    Case("shareable field answered where it is", "{ reviews { book { title } } }"),
    Case("shareable field next to a field elsewhere", "{ reviews { book { title pages } } }"),
    Case("overridden field goes to its new subgraph", '{ book(sku: "b1") { price } }'),
    Case("overriding subgraph at the root", "{ cheapestBook { sku title price } }"),
    Case("inaccessible field", '{ book(sku: "b1") { internalCode } }'),
    Case("inaccessible root field", "{ internalNote { text } }"),
    Case("inaccessible type in a fragment", "{ items { ... on InternalNote { text } } }"),
    Case("__type of an inaccessible type", '{ __type(name: "InternalNote") { name } }'),
    Case(
        "__type fields without the inaccessible one",
        '{ __type(name: "Book") { fields { name type { name kind } } } }',
    ),
]

KEYS_REQUIRES_AND_DEPTH = [
    Case("composite key", '{ book(sku: "b1") { offers { package amount } } }'),
    Case("entity list with duplicates", "{ bestsellers { sku price } }"),
    Case("composite key under duplicates", "{ bestsellers { sku offers { amount } } }"),
    Case("second key from an id", '{ book(sku: "b1") { author { id name } } }'),
    Case("second key from an email", "{ reviews { author { email name } } }"),
    Case("key needing an extra hop", "{ reviews { author { books { title } } } }"),
    Case(
        "one entity to two subgraphs by two keys",
        "{ authors { name reviews { id } books { sku } } }",
    ),
    Case("requires from two subgraphs", '{ book(sku: "b1") { shippingCost } }'),
    Case("requires under duplicates", "{ bestsellers { title shippingCost } }"),
    Case("requires inside an interface fragment", "{ items { sku ... on Book { shippingCost } } }"),
    Case(
        "requires with its fields selected",
        '{ book(sku: "b2") { weight price shippingCost } }',
    ),
    Case("three entity jumps", "{ reviews { author { favouriteBook { title price } } } }"),
    Case(
        "five levels of entity jumps",
        """{ search(text: "Dune") { ... on Book { reviews { author { favouriteBook {
             shippingCost offers { amount } } } } } } }""",
    ),
    Case(
        "jumps back and forth",
        "{ authors { favouriteBook { reviews { author { name favouriteBook { sku } } } } } }",
    ),
    Case("unknown entity at the root stays null", '{ book(sku: "zz") { price } }'),
    Case(
        "shareable field joins the fetch its sibling needs",
        "{ reviews { author { favouriteBook { title pages } } } }",
    ),
    Case(
        "requires behind an extra key hop",
        "{ reviews { author { books { shippingCost title } } } }",
    ),
    Case(
        "hop and a sibling fetch from the same entity",
        "{ reviews { author { name books { title price } } } }",
    ),
]

ALIASES_AND_CONDITIONS = [
    Case(
        "same field twice with different arguments",
        '{ a: item(sku: "b1") { title } b: item(sku: "m2") { title } }',
    ),
    Case(
        "same entity field under two aliases",
        '{ book(sku: "b1") { cost: price p: price shippingCost } }',
    ),
    Case(
        "enum arguments under two aliases",
        "{ low: reviews(minStars: ONE) { id } high: reviews(minStars: FIVE) { id } }",
    ),
    Case("aliased key fields", '{ book(sku: "b3") { id: sku reviews { r: id } } }'),
    Case("aliased __typename", "{ items { type: __typename sku } }"),
    Case(
        "include true on an entity field",
        'query ($v: Boolean!) { book(sku: "b1") { title price @include(if: $v) } }',
        {"v": True},
    ),
    Case(
        "include false on an entity field",
        'query ($v: Boolean!) { book(sku: "b1") { title price @include(if: $v) } }',
        {"v": False},
    ),
    Case(
        "skip true on a nested entity fetch",
        "query ($v: Boolean!) { reviews { id author @skip(if: $v) { name } } }",
        {"v": True},
    ),
    Case(
        "skip false on a nested entity fetch",
        "query ($v: Boolean!) { reviews { id author @skip(if: $v) { name } } }",
        {"v": False},
    ),
    Case(
        "include on a union fragment",
        """query ($v: Boolean!) { search(text: "e") { __typename
             ... on Book @include(if: $v) { title price } } }""",
        {"v": False},
    ),
    Case(
        "condition variable default false",
        'query ($v: Boolean = false) { book(sku: "b1") { title price @include(if: $v) } }',
    ),
    Case(
        "condition variable default true at the root",
        'query ($v: Boolean = true) { book(sku: "b1") @include(if: $v) { title } }',
    ),
    Case(
        "condition variable default overridden",
        'query ($v: Boolean = true) { book(sku: "b1") @include(if: $v) { title } }',
        {"v": False},
    ),
    Case("literal skip", '{ book(sku: "b1") { title @skip(if: true) price } }'),
    Case(
        "__typename at every level",
        """{ __typename book(sku: "b1") { __typename author { __typename name }
             offers { __typename amount } } }""",
    ),
    Case("__typename of @interfaceObject entities", "{ restockNeeded { __typename } }"),
]

INTROSPECTION = [
    Case("schema root types", "{ __schema { queryType { name } mutationType { name } } }"),
    Case(
        "interface possible types",
        '{ __type(name: "ProductItem") { kind possibleTypes { name } } }',
    ),
    Case(
        "union possible types", '{ __type(name: "SearchResult") { kind possibleTypes { name } } }'
    ),
    Case("enum values", '{ __type(name: "Kind") { enumValues { name } } }'),
    Case("introspection with data", '{ __type(name: "Book") { name } book(sku: "b1") { title } }'),
    Case("every type name", "{ __schema { types { name } } }"),
    Case("directives", "{ __schema { directives { name locations } } }"),
    Case(
        "input fields and defaults",
        '{ __type(name: "ItemFilter") { inputFields { name defaultValue } } }',
    ),
]

ERRORS = [
    Case("unknown field", "{ items { nope } }"),
    Case("missing argument", "{ book { title } }"),
    Case("argument of the wrong type", "{ book(sku: 1.5) { title } }"),
    Case("fragment on an impossible type", '{ book(sku: "b1") { ... on Movie { minutes } } }'),
    Case("unused variable", "query ($x: Int) { freeShippingAbove }"),
    Case("subgraph error in a nested entity fetch", "{ reviews { author { name secret } } }"),
    Case("subgraph error at the root", "{ authors { name secret } }"),
    Case(
        "non-null error bubbles to a nullable entity",
        '{ book(sku: "b3") { title reviews { id verified } } }',
    ),
    Case("non-null error bubbles to the data", "{ reviews { id verified } }"),
    Case(
        "non-null error deep under a union",
        '{ search(text: "Ulysses") { ... on Book { title reviews { verified } } } }',
    ),
]

CATALOG_CASES = (
    INTERFACES_AND_UNIONS
    + ENUMS_INPUTS_AND_VARIABLES
    + MUTATIONS
    + SHAREABLE_OVERRIDE_AND_INACCESSIBLE
    + KEYS_REQUIRES_AND_DEPTH
    + ALIASES_AND_CONDITIONS
    + INTROSPECTION
    + ERRORS
)

PEOPLE_DOWN_CASES = [
    Case("unreachable subgraph under a list", "{ reviews { id author { name } } }"),
    Case("unreachable subgraph at the root", "{ authors { name } freeShippingAbove }"),
    Case("unreachable subgraph in the extra hop", "{ reviews { author { books { title } } } }"),
    Case(
        "unreachable subgraph two levels down",
        '{ book(sku: "b1") { title author { name favouriteBook { price } } } }',
    ),
]
