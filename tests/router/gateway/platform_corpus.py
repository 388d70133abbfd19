"""Operations on the supergraph of the project's own subgraphs (auth, users, products),
sent to our router and Apollo's gateway over the state ``tests.router.fixtures.platform``
seeds.

A case names who sends it and the error codes it must get (none unless given): the
codes keep a case from passing because both routers fail in the same wrong way. Nothing
here changes state: queries, and mutations the subgraphs reject, so both routers read the
same rows. ``PLATFORM_CASES`` run with every subgraph up, ``SUBGRAPH_DOWN_CASES`` with one
of them unreachable. Cases on the products subgraph are in ``platform_products_corpus``.
Add a case by adding an entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.router.fixtures.platform import Seed, Viewer
from tests.router.gateway.corpus import Case

Variables = Callable[[Seed], dict[str, Any]]

UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


def no_variables(seed: Seed) -> dict[str, Any]:
    return {}


def marker(seed: Seed) -> dict[str, Any]:
    return {"text": seed.marker}


def customer_id(seed: Seed) -> dict[str, Any]:
    return {"id": seed.user_id(Viewer.CUSTOMER)}


@dataclass(frozen=True)
class PlatformCase:
    name: str
    query: str
    viewer: Viewer = Viewer.ANONYMOUS
    variables: Variables = no_variables
    operation_name: str | None = None
    codes: tuple[str, ...] = ()

    def body(self, seed: Seed) -> dict[str, Any]:
        return Case(self.name, self.query, self.variables(seed), self.operation_name).body()


WHO_CALLS = [
    PlatformCase("anonymous root __typename", "{ __typename }"),
    PlatformCase(
        "anonymous me is unauthenticated",
        "{ me { id email } }",
        codes=("UNAUTHENTICATED",),
    ),
    PlatformCase(
        "anonymous on both subgraphs' root fields",
        "{ me { id } myProfile { email } }",
        codes=("UNAUTHENTICATED", "UNAUTHENTICATED"),
    ),
    PlatformCase(
        "forged token is unauthenticated",
        "{ me { id } }",
        Viewer.FORGED,
        codes=("UNAUTHENTICATED",),
    ),
    PlatformCase(
        "customer reads a user by id: staff only",
        "query ($id: ID!) { user(id: $id) { id email } }",
        Viewer.CUSTOMER,
        customer_id,
        codes=("FORBIDDEN",),
    ),
    PlatformCase(
        "customer lists users: staff only, the non-null root nulls data",
        "{ users { edges { node { id } } } }",
        Viewer.CUSTOMER,
        codes=("FORBIDDEN",),
    ),
    PlatformCase(
        "support reads the audit log: admin only",
        "{ securityAuditLogs { edges { node { id } } } }",
        Viewer.SUPPORT,
        codes=("FORBIDDEN",),
    ),
]

ENTITY_JOINS = [
    PlatformCase(
        "me with fields of both subgraphs",
        """{ me { id email roles emailVerified isActive
             profile { userId email firstName emailVerified }
             addresses { type city country isDefault company }
             paymentMethods { type cardType last4 isDefault }
             preferences { key value } } }""",
        Viewer.CUSTOMER,
    ),
    PlatformCase(
        "wishlist Product stubs",
        "{ me { wishlist { notes product { __typename id } } } }",
        Viewer.CUSTOMER,
    ),
    PlatformCase(
        "root fields of both subgraphs in one query",
        "{ me { email roles } myProfile { email lastLoginAt } }",
        Viewer.CUSTOMER,
    ),
    PlatformCase(
        "last login seen by auth and by users' event consumer",
        "{ me { lastLoginAt profile { lastLoginAt } } }",
        Viewer.OTHER_CUSTOMER,
    ),
    PlatformCase(
        "__typename on both sides of the join",
        """{ __typename me { __typename id profile { __typename }
             wishlist { __typename product { __typename } } } }""",
        Viewer.CUSTOMER,
    ),
    PlatformCase(
        "staff reads a customer by id, joined to users",
        """query ($id: ID!) { user(id: $id) { email roles profile { email }
             addresses { city } wishlist { product { id } } } }""",
        Viewer.SUPPORT,
        customer_id,
    ),
    PlatformCase(
        "staff looks up by email in users, joined back to auth",
        """query ($email: String!) { userByEmail(email: $email) {
             id email roles isActive profile { email } } }""",
        Viewer.ADMIN,
        lambda seed: {"email": seed.email(Viewer.SUPPORT)},
    ),
    PlatformCase(
        "unknown user is null on both sides",
        f'{{ user(id: "{UNKNOWN_ID}") {{ email profile {{ email }} }} }}',
        Viewer.ADMIN,
    ),
    PlatformCase(
        "profile without an account: auth's fields of a missing entity",
        "query ($email: String!) { userByEmail(email: $email) { id profile { email } email } }",
        Viewer.SUPPORT,
        lambda seed: {"email": seed.orphan_email},
    ),
    PlatformCase(
        "profile without an account, asking only users' fields",
        "query ($email: String!) { userByEmail(email: $email) { id profile { email } } }",
        Viewer.SUPPORT,
        lambda seed: {"email": seed.orphan_email},
    ),
]

PAGINATION = [
    PlatformCase(
        "staff list, first page, joined to auth",
        """query ($text: String!) { users(first: 2, filter: {text: $text}) {
             edges { cursor node { id email roles profile { email } } }
             pageInfo { hasNextPage endCursor } } }""",
        Viewer.SUPPORT,
        marker,
    ),
    PlatformCase(
        "staff list after a cursor",
        """query ($text: String!, $after: String) {
             users(first: 2, after: $after, filter: {text: $text}) {
               edges { node { email roles } } pageInfo { hasNextPage } } }""",
        Viewer.ADMIN,
        lambda seed: {"text": seed.marker, "after": seed.users_cursor},
    ),
    PlatformCase(
        "staff list page size from a variable default",
        """query ($text: String!, $n: Int! = 3) { users(first: $n, filter: {text: $text}) {
             edges { node { id isActive } } pageInfo { hasNextPage } } }""",
        Viewer.ADMIN,
        marker,
    ),
    PlatformCase(
        "staff list with a page too large",
        "{ users(first: 101) { edges { node { id } } } }",
        Viewer.ADMIN,
        codes=("BAD_USER_INPUT",),
    ),
    PlatformCase(
        "audit log, first page",
        """query ($id: ID!) { securityAuditLogs(userId: $id, first: 1) {
             edges { cursor node { userId action metadata } }
             pageInfo { hasNextPage endCursor } } }""",
        Viewer.ADMIN,
        lambda seed: {"id": seed.user_id(Viewer.SUPPORT)},
    ),
    PlatformCase(
        "audit log after a cursor",
        """query ($id: ID!, $after: String) {
             securityAuditLogs(userId: $id, first: 5, after: $after) {
               edges { node { action metadata } } pageInfo { hasNextPage } } }""",
        Viewer.ADMIN,
        lambda seed: {"id": seed.user_id(Viewer.SUPPORT), "after": seed.audit_cursor},
    ),
    PlatformCase(
        "audit log with a cursor it did not make",
        '{ securityAuditLogs(after: "not a cursor") { edges { cursor } } }',
        Viewer.ADMIN,
        codes=("BAD_USER_INPUT",),
    ),
]

OPERATION_SHAPES = [
    PlatformCase(
        "aliases on both subgraphs",
        """{ who: me { mail: email p: profile { e: email }
             first: addresses { c: city } second: addresses { country } } }""",
        Viewer.CUSTOMER,
    ),
    PlatformCase(
        "named fragments split across subgraphs",
        """query Me { me { ...Account ...Shopping } }
           fragment Account on User { email roles }
           fragment Shopping on User { wishlist { product { id } } preferences { key } }""",
        Viewer.CUSTOMER,
    ),
    PlatformCase(
        "nested inline fragments",
        "{ me { ... on User { email ... on User { addresses { city } } } } }",
        Viewer.CUSTOMER,
    ),
    PlatformCase(
        "skip and include from variables",
        """query ($yes: Boolean!, $no: Boolean!) { me {
             email @skip(if: $yes) roles @include(if: $yes)
             addresses @include(if: $yes) { city } wishlist @include(if: $no) { notes } } }""",
        Viewer.CUSTOMER,
        lambda seed: {"yes": True, "no": False},
    ),
    PlatformCase(
        "include false drops the users fetch",
        "{ me { email profile @include(if: false) { email } } }",
        Viewer.CUSTOMER,
    ),
    PlatformCase(
        "operation name picks one of several",
        "query Mine { me { email } } query Profile { myProfile { email } }",
        Viewer.CUSTOMER,
        operation_name="Profile",
    ),
    PlatformCase(
        "staff existence checks with aliases",
        """query ($email: String!) { known: emailExists(email: $email)
             unknown: emailExists(email: "nobody@example.com")
             phone: phoneExists(phone: "+49 30 1234567") }""",
        Viewer.SUPPORT,
        lambda seed: {"email": seed.email(Viewer.CUSTOMER)},
    ),
]

ROUTER_ERRORS = [
    PlatformCase("parse error", "{ me { email ", Viewer.CUSTOMER, codes=("GRAPHQL_PARSE_FAILED",)),
    PlatformCase(
        "unknown field",
        "{ me { password } }",
        Viewer.CUSTOMER,
        codes=("GRAPHQL_VALIDATION_FAILED",),
    ),
    PlatformCase(
        "unknown operation name",
        "query Mine { me { email } }",
        Viewer.CUSTOMER,
        operation_name="Theirs",
        codes=("INVALID_GRAPHQL",),
    ),
    PlatformCase(
        "missing required variable",
        "query ($id: ID!) { user(id: $id) { email } }",
        Viewer.ADMIN,
        codes=("BAD_USER_INPUT",),
    ),
    PlatformCase(
        "enum variable out of range",
        """mutation ($type: UserAddressType!) { addressCreate(input: {type: $type,
             addressLine1: "x", city: "x", postalCode: "1", country: "DE"}) { address { id } } }""",
        Viewer.CUSTOMER,
        lambda seed: {"type": "PIGEONHOLE"},
        codes=("BAD_USER_INPUT",),
    ),
]

ADDRESS_INPUT = """{type: SHIPPING, addressLine1: "3 Via Roma", city: "Rome",
                    postalCode: "00184", country: "Italy"}"""

REJECTED_MUTATIONS = [
    PlatformCase(
        "anonymous address create",
        f"mutation {{ addressCreate(input: {ADDRESS_INPUT}) {{ address {{ id }} }} }}",
        codes=("UNAUTHENTICATED",),
    ),
    PlatformCase(
        "address with a country that is not a code",
        f"mutation {{ addressCreate(input: {ADDRESS_INPUT}) {{ address {{ id }} }} }}",
        Viewer.CUSTOMER,
        codes=("BAD_USER_INPUT",),
    ),
    PlatformCase(
        "deleting an unknown address",
        f'mutation {{ addressDelete(input: {{id: "{UNKNOWN_ID}"}}) {{ deletedId }} }}',
        Viewer.CUSTOMER,
        codes=("NOT_FOUND",),
    ),
    PlatformCase(
        "deleting another customer's address",
        "mutation ($id: ID!) { addressDelete(input: {id: $id}) { deletedId } }",
        Viewer.OTHER_CUSTOMER,
        lambda seed: {"id": seed.address_ids[0]},
        codes=("FORBIDDEN",),
    ),
    PlatformCase(
        "removing a product not in the wishlist",
        """mutation { wishlistItemRemove(input: {productId: "product-9"}) {
             removedProductId } }""",
        Viewer.CUSTOMER,
        codes=("NOT_FOUND",),
    ),
    PlatformCase(
        "saving a raw card number",
        """mutation { paymentMethodAdd(input: {type: CREDIT_CARD,
             providerToken: "4242 4242 4242 4242", last4: "4242", expiryMonth: 1,
             expiryYear: 2099}) { paymentMethod { id } } }""",
        Viewer.CUSTOMER,
        codes=("RAW_CARD_NUMBER_REJECTED",),
    ),
    PlatformCase(
        "registering a taken email",
        """mutation ($email: String!) { register(input: {email: $email,
             password: "another long password"}) { user { id } } }""",
        variables=lambda seed: {"email": seed.email(Viewer.CUSTOMER)},
        codes=("CONFLICT",),
    ),
    PlatformCase(
        "registering an invalid email",
        """mutation { register(input: {email: "not an email",
             password: "another long password"}) { user { id } } }""",
        codes=("BAD_USER_INPUT",),
    ),
    PlatformCase(
        "customer assigns a role: admin only",
        """mutation ($id: ID!) { roleAssign(input: {userId: $id, role: "admin"}) {
             user { roles } } }""",
        Viewer.CUSTOMER,
        customer_id,
        codes=("FORBIDDEN",),
    ),
    PlatformCase(
        "admin assigns a role to an unknown user",
        f"""mutation {{ roleAssign(input: {{userId: "{UNKNOWN_ID}", role: "support"}}) {{
             user {{ roles }} }} }}""",
        Viewer.ADMIN,
        codes=("NOT_FOUND",),
    ),
    PlatformCase(
        "a rejected mutation stops the next one in the same subgraph",
        f"""mutation {{ a: addressDelete(input: {{id: "{UNKNOWN_ID}"}}) {{ deletedId }}
             b: preferenceDelete(input: {{key: "no-such-key"}}) {{ deletedKey }} }}""",
        Viewer.CUSTOMER,
        codes=("NOT_FOUND",),
    ),
    PlatformCase(
        "rejected mutations on two subgraphs in sequence",
        f"""mutation {{ a: addressDelete(input: {{id: "{UNKNOWN_ID}"}}) {{ deletedId }}
             b: roleAssign(input: {{userId: "{UNKNOWN_ID}", role: "admin"}}) {{
               user {{ roles profile {{ email }} }} }} }}""",
        Viewer.CUSTOMER,
        codes=("NOT_FOUND", "FORBIDDEN"),
    ),
]

PLATFORM_CASES = [
    *WHO_CALLS,
    *ENTITY_JOINS,
    *PAGINATION,
    *OPERATION_SHAPES,
    *ROUTER_ERRORS,
    *REJECTED_MUTATIONS,
]

# Each runs with auth unreachable, then with users. Apollo's gateway, unlike Apollo's Rust
# router, reports a refused connection as INTERNAL_SERVER_ERROR.
SUBGRAPH_DOWN_CASES = [
    PlatformCase(
        "entity join with one side down",
        "{ me { email profile { email } } }",
        Viewer.CUSTOMER,
        codes=("INTERNAL_SERVER_ERROR",),
    ),
    PlatformCase(
        "root fields of both subgraphs with one down",
        "{ me { id } myProfile { email } }",
        Viewer.CUSTOMER,
        codes=("INTERNAL_SERVER_ERROR",),
    ),
    PlatformCase(
        "staff list joined to auth with one side down",
        """query ($text: String!) { users(first: 3, filter: {text: $text}) {
             edges { node { id email } } } }""",
        Viewer.SUPPORT,
        marker,
        codes=("INTERNAL_SERVER_ERROR",),
    ),
    PlatformCase(
        "non-null lists of the down side null their parent",
        "{ me { roles wishlist { product { id } } addresses { city } } }",
        Viewer.CUSTOMER,
        codes=("INTERNAL_SERVER_ERROR",),
    ),
]
