"""Operations sent to both our router and Apollo's gateway; one entry per case.

``CASES`` run on the full benchmark supergraph, ``INVENTORY_DOWN_CASES`` on the one
whose inventory subgraph is unreachable. Add a case by adding an entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Case:
    name: str
    query: str
    variables: dict[str, Any] = field(default_factory=dict)
    operation_name: str | None = None

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"query": self.query, "variables": self.variables}
        if self.operation_name is not None:
            body["operationName"] = self.operation_name
        return body


CASES = [
    Case("root field", "{ me { id name username } }"),
    Case("root list", "{ users { id name birthDate } }"),
    Case("root fields of two subgraphs", "{ me { name } topProducts { upc name } stockCount }"),
    Case("entity join", "{ users { name reviews { body } } }"),
    Case(
        "benchmark deep query",
        """{ users { id name reviews { id body product { upc name reviews { id
             author { id username reviews { id product { name inStock } } } } } } } }""",
    ),
    Case("provides", "{ reviews { body author { username } } }"),
    Case("provides then a field it does not provide", "{ reviews { author { username name } } }"),
    Case("requires", "{ topProducts { name price weight shippingEstimate } }"),
    Case("requires without selecting the required fields", "{ topProducts { shippingEstimate } }"),
    Case(
        "aliases",
        "{ first: me { alias: name otherName: name } p: topProducts(first: 1) { n: name } }",
    ),
    Case("aliases in an entity fetch", "{ users { who: name rs: reviews { b: body } } }"),
    Case(
        "named fragment",
        "query Q { users { ...UserParts } } fragment UserParts on User { id name reviews { id } }",
    ),
    Case("inline fragment", "{ me { ... on User { name } } }"),
    Case(
        "__typename",
        "{ __typename me { __typename id } reviews { __typename product { __typename } } }",
    ),
    Case("variables", "query ($id: ID!) { user(id: $id) { name reviews { body } } }", {"id": "2"}),
    Case("variable with default", "query ($n: Int! = 2) { topProducts(first: $n) { name } }"),
    Case(
        "skip and include",
        """query ($yes: Boolean!, $no: Boolean!) {
             me { name @include(if: $yes) username @skip(if: $yes)
                  reviews @include(if: $no) { body } } }""",
        {"yes": True, "no": False},
    ),
    Case(
        "include on a root field",
        "query ($on: Boolean!) { me @include(if: $on) { name } stockCount }",
        {"on": False},
    ),
    Case(
        "operation name picks one operation",
        "query A { me { name } } query B { stockCount }",
        operation_name="B",
    ),
    Case("unknown user is null", '{ user(id: "99") { name } }'),
    Case("subgraph error on a root fetch", "{ users { id secret } }"),
    Case("subgraph error in an entity fetch", "{ reviews { id author { name secret } } }"),
    Case("non-null error bubbles to the root", "{ users { id strictSecret } }"),
    Case("non-null error bubbles in an entity", "{ reviews { id author { strictSecret } } }"),
    Case("parse error", "{ me { name "),
    Case("validation error", "{ me { nope } }"),
    Case("variable of the wrong type", "query ($id: ID!) { user(id: $id) { name } }", {"id": {}}),
    Case("missing operation name", "query A { me { name } } query B { stockCount }"),
    Case("unknown operation name", "query A { me { name } }", operation_name="B"),
]

INVENTORY_DOWN_CASES = [
    Case("unreachable subgraph in an entity fetch", "{ topProducts { name inStock } }"),
    Case("unreachable subgraph at the root", "{ me { name } stockCount }"),
    Case("unreachable subgraph under a list", "{ reviews { product { upc inStock } } }"),
]
