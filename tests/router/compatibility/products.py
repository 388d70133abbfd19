"""The `products` subgraph of Apollo's subgraph compatibility suite, in Strawberry.

It implements the suite's ``products.graphql`` (Federation 2.3: multiple and composite
keys, @provides, @requires, @override, @tag, @inaccessible, @interfaceObject, a composed
@custom directive) with the data the suite's tests expect, and answers
``apollo-federation-include-trace: ftv1`` with a (minimal) federated trace.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from typing import Any

import strawberry
from strawberry.asgi import GraphQL
from strawberry.extensions import SchemaExtension
from strawberry.federation import Schema
from strawberry.federation.schema_directive import Location, schema_directive


@schema_directive(
    locations=[Location.OBJECT],
    name="custom",
    compose=True,
    import_url="https://myspecs.dev/myCustomDirective/v1.0",
)
class Custom:
    """The suite's own directive, kept in the supergraph by @composeDirective."""


@strawberry.type
class ProductVariation:
    id: strawberry.ID


@strawberry.type
class CaseStudy:
    case_number: strawberry.ID
    description: str | None


@strawberry.federation.type(keys=["study { caseNumber }"])
class ProductResearch:
    study: CaseStudy
    outcome: str | None = None

    @classmethod
    def resolve_reference(cls, **representation: Any) -> ProductResearch | None:
        number = representation["study"]["caseNumber"]
        return next((r for r in RESEARCH if r.study.case_number == number), None)


@strawberry.federation.type(shareable=True)
class ProductDimension:
    size: str | None
    weight: float | None
    unit: str | None = strawberry.federation.field(inaccessible=True)


def average_products_created_per_year(root: User) -> int | None:
    if root.email != USER_EMAIL:
        raise ValueError(f"user.email was not '{USER_EMAIL}'")
    if root.total_products_created is None or not root.years_of_employment:
        return None
    return round(root.total_products_created / root.years_of_employment)


@strawberry.federation.type(keys=["email"], extend=True)
class User:
    average_products_created_per_year: int | None = strawberry.federation.field(
        resolver=average_products_created_per_year,
        requires=["totalProductsCreated yearsOfEmployment"],
    )
    email: strawberry.ID = strawberry.federation.field(external=True)
    name: str | None = strawberry.federation.field(override="users")
    total_products_created: int | None = strawberry.federation.field(external=True)
    # Int! in the schema, but unknown here until the router sends it for @requires.
    years_of_employment: int | None = strawberry.federation.field(external=True, graphql_type=int)

    @classmethod
    def resolve_reference(cls, **representation: Any) -> User:
        return User(
            email=representation["email"],
            name="Jane Smith",
            total_products_created=representation.get("totalProductsCreated", 1337),
            years_of_employment=representation.get("yearsOfEmployment"),
        )


@strawberry.federation.type(
    keys=["id", "sku package", "sku variation { id }"], directives=[Custom()]
)
class Product:
    id: strawberry.ID
    sku: str | None
    package: str | None
    variation: ProductVariation | None
    dimensions: ProductDimension | None
    created_by: User | None = strawberry.federation.field(provides=["totalProductsCreated"])
    notes: str | None = strawberry.federation.field(default=None, tags=["internal"])
    research: list[ProductResearch]

    @classmethod
    def resolve_reference(cls, **representation: Any) -> Product | None:
        return next((p for p in PRODUCTS if _matches(p, representation)), None)


def _matches(product: Product, representation: dict[str, Any]) -> bool:
    """Whether ``product`` is the one a representation of any of its three keys names."""
    if "id" in representation:
        return product.id == representation["id"]
    if "package" in representation:
        return (product.sku, product.package) == (representation["sku"], representation["package"])
    variation = representation["variation"]["id"]
    return (product.sku, product.variation) == (
        representation["sku"],
        ProductVariation(id=variation),
    )


@strawberry.federation.type(keys=["sku package"])
class DeprecatedProduct:
    sku: str
    package: str
    reason: str | None
    created_by: User | None

    @classmethod
    def resolve_reference(cls, **representation: Any) -> DeprecatedProduct | None:
        key = (representation["sku"], representation["package"])
        found = key == (DEPRECATED_PRODUCT.sku, DEPRECATED_PRODUCT.package)
        return DEPRECATED_PRODUCT if found else None


@strawberry.federation.interface_object(keys=["id"])
class Inventory:
    id: strawberry.ID

    @strawberry.field
    def deprecated_products(self) -> list[DeprecatedProduct]:
        return [DEPRECATED_PRODUCT] if self.id == "apollo-oss" else []

    @classmethod
    def resolve_reference(cls, **representation: Any) -> Inventory:
        return Inventory(id=representation["id"])


USER_EMAIL = "support@apollographql.com"
CREATOR = User(
    email=strawberry.ID(USER_EMAIL),
    name="Jane Smith",
    total_products_created=1337,
    years_of_employment=10,
)
DIMENSIONS = ProductDimension(size="small", weight=1, unit="kg")
RESEARCH = [
    ProductResearch(
        study=CaseStudy(case_number=strawberry.ID("1234"), description="Federation Study")
    ),
    ProductResearch(study=CaseStudy(case_number=strawberry.ID("1235"), description="Studio Study")),
]
PRODUCTS = [
    Product(
        id=strawberry.ID("apollo-federation"),
        sku="federation",
        package="@apollo/federation",
        variation=ProductVariation(id=strawberry.ID("OSS")),
        dimensions=DIMENSIONS,
        created_by=CREATOR,
        research=[RESEARCH[0]],
    ),
    Product(
        id=strawberry.ID("apollo-studio"),
        sku="studio",
        package="",
        variation=ProductVariation(id=strawberry.ID("platform")),
        dimensions=DIMENSIONS,
        created_by=CREATOR,
        research=[RESEARCH[1]],
    ),
]
DEPRECATED_PRODUCT = DeprecatedProduct(
    sku="apollo-federation-v1",
    package="@apollo/federation-v1",
    reason="Migrate to Federation V2",
    created_by=CREATOR,
)


@strawberry.type
class Query:
    @strawberry.field
    def product(self, id: strawberry.ID) -> Product | None:
        return next((p for p in PRODUCTS if p.id == id), None)

    @strawberry.field(deprecation_reason="Use product query instead")
    def deprecated_product(self, sku: str, package: str) -> DeprecatedProduct | None:
        return DeprecatedProduct.resolve_reference(sku=sku, package=package)


class FederatedTracing(SchemaExtension):
    """Adds ``extensions.ftv1`` when the router asks for it, as Apollo's subgraphs do.

    The trace is a base64 protobuf ``Trace`` holding its start, end and duration only
    (Apollo's reports.proto fields 4, 3 and 11); no per-field timings.
    """

    def on_operation(self) -> Iterator[None]:
        self._start_ns = time.time_ns()
        yield
        self._end_ns = time.time_ns()

    def get_results(self) -> dict[str, Any]:
        request = (self.execution_context.context or {}).get("request")
        if request is None or request.headers.get("apollo-federation-include-trace") != "ftv1":
            return {}
        start, end = self._start_ns, self._end_ns
        trace = (
            _field(4, _timestamp(start))
            + _field(3, _timestamp(end))
            + _varint_field(11, end - start)
        )
        return {"ftv1": base64.b64encode(trace).decode()}


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _varint_field(number: int, value: int) -> bytes:
    return _varint(number << 3) + _varint(value)


def _field(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _timestamp(ns: int) -> bytes:
    seconds, nanos = divmod(ns, 1_000_000_000)
    return _varint_field(1, seconds) + _varint_field(2, nanos)


schema = Schema(
    query=Query,
    types=[Inventory, ProductResearch, DeprecatedProduct, User],
    extensions=[FederatedTracing],
    federation_version="2.3",
)
app = GraphQL(schema, graphql_ide=None)
