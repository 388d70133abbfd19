"""Operations on the context fixture's supergraph (@context/@fromContext), with the answers
they must get. Apollo's gateway refuses that supergraph (it supports no SECURITY feature
@context), so these are compared with exact data instead, worked out from the fixture's
subgraphs; the plans themselves are compared with Apollo's planner."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.router.gateway.corpus import Case


@dataclass(frozen=True)
class ContextCase:
    case: Case
    data: dict[str, Any]


CONTEXT_CASES = [
    ContextCase(
        Case(
            "one product under two stores gets each store's currency and locale",
            "{ stores { name products { sku price reviews { body } } } }",
        ),
        {
            "stores": [
                {
                    "name": "Paris",
                    "products": [
                        {"sku": "p1", "price": "25.00 EUR", "reviews": [{"body": "Bout vite"}]},
                        {"sku": "p2", "price": "18.00 EUR", "reviews": []},
                    ],
                },
                {
                    "name": "Boston",
                    "products": [{"sku": "p2", "price": "18.00 USD", "reviews": []}],
                },
            ]
        },
    ),
    ContextCase(
        Case(
            "context two fields up",
            '{ store(id: "s2") { aisles { name products { title price } } } }',
        ),
        {
            "store": {
                "aisles": [{"name": "tea", "products": [{"title": "Teapot", "price": "18.00 USD"}]}]
            }
        },
    ),
    ContextCase(
        Case("aliased context field", "{ stores { c: currency products { p: price } } }"),
        {
            "stores": [
                {"c": "EUR", "products": [{"p": "25.00 EUR"}, {"p": "18.00 EUR"}]},
                {"c": "USD", "products": [{"p": "18.00 USD"}]},
            ]
        },
    ),
    ContextCase(
        Case("unknown store is null", '{ store(id: "zz") { products { price } } }'),
        {"store": None},
    ),
]
