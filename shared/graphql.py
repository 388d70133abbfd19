"""What every subgraph's GraphQL layer shares: the request context, error codes, the
pagination ``PageInfo``, the ``Money`` scalar, input helpers, the view.

Errors: a ``DomainError`` raised anywhere below a resolver reaches the client as a
GraphQL error whose ``extensions.code`` is the domain's code. Any other exception is
logged with the request id and masked as "Unexpected error." (INTERNAL_SERVER_ERROR).
A request carrying text PostgreSQL cannot store (a NUL character, an unpaired surrogate)
is refused (BAD_USER_INPUT) before any resolver runs.
"""

from __future__ import annotations

import inspect
import json
import logging
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, NewType, TypeVar, cast

import strawberry
from graphql import BREAK, DocumentNode, GraphQLError, StringValueNode, Visitor, visit
from graphql import ExecutionResult as GraphQLExecutionResult
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.dataloader import DataLoader
from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.extensions import SchemaExtension
from strawberry.federation.schema import FederationAny
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from shared.auth.tokens import AccessClaims, TokenVerifier
from shared.errors import DomainError, ErrorCode, bad_input, forbidden, unauthenticated
from shared.pagination import Page, encode_cursor
from shared.settings import Settings
from shared.validation import NUL_TEXT, unstorable

if TYPE_CHECKING:
    from strawberry.types.scalar import ScalarDefinition

log = logging.getLogger(__name__)

K = TypeVar("K")
V = TypeVar("V")
BatchLoad = Callable[[AsyncSession, list[K]], Awaitable[Sequence[V]]]

_UNSET: Any = object()

# An amount of money: a Decimal in Python, a decimal string on the wire, never a float.
Money = NewType("Money", Decimal)


def _parse_money(value: object) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        # A GraphQL error: anything else raised while a literal is validated is unexpected.
        message = f'{value!r} is not a decimal amount such as "19.99".'
        raise StrawberryInputCoercionError(message) from None


# The custom scalars of every subgraph schema, by the Python type fields are annotated with.
SCALARS: Mapping[object, ScalarDefinition] = {
    Money: strawberry.scalar(
        name="Money",
        description='An amount of money as a decimal string, e.g. "19.99".',
        serialize=str,
        parse_value=_parse_money,
    )
}


def given_fields(value: object, *, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
    """An input object's given fields by (snake_case) name; omitted ones are left out."""
    return {
        name: given
        for name, given in vars(value).items()
        if name not in exclude and given is not strawberry.UNSET
    }


@dataclass
class Context:
    """Per-request state every resolver gets as ``info.context``."""

    db: AsyncSession
    settings: Settings
    verifier: TokenVerifier
    request_id: str
    authorization: str | None = None
    client_ip: str | None = None
    user_agent: str | None = None
    # Service-specific dependencies given to create_service_app (e.g. a token issuer).
    extras: Mapping[str, Any] = field(default_factory=dict)
    _claims: AccessClaims | None = field(default=_UNSET, repr=False)
    _loaders: dict[Any, DataLoader[Any, Any]] = field(default_factory=dict, repr=False)

    async def viewer(self) -> AccessClaims | None:
        """The caller's verified claims, None when no bearer token was sent.

        A token that is sent but invalid is an error, never an anonymous call.
        """
        if self._claims is _UNSET:
            self._claims = await self._verify_bearer()
        return self._claims

    async def require_viewer(self) -> AccessClaims:
        claims = await self.viewer()
        if claims is None:
            raise unauthenticated()
        return claims

    async def require_self_or_admin(self, user_id: str) -> AccessClaims:
        """A customer acts only on their own data; admins act on anyone's."""
        claims = await self.require_viewer()
        if claims.user_id != user_id and not claims.is_admin:
            raise forbidden()
        return claims

    async def require_role(self, *roles: str) -> AccessClaims:
        claims = await self.require_viewer()
        if not claims.roles.intersection(roles):
            raise forbidden()
        return claims

    def loader(self, load: BatchLoad[K, V]) -> DataLoader[K, V]:
        """One DataLoader per batch function per request, bound to the request session."""
        if load not in self._loaders:

            async def batch(keys: list[K]) -> Sequence[V]:
                return await load(self.db, keys)

            self._loaders[load] = DataLoader(load_fn=batch)
        return self._loaders[load]

    async def _verify_bearer(self) -> AccessClaims | None:
        if not self.authorization:
            return None
        scheme, _, token = self.authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise unauthenticated("The Authorization header must be 'Bearer <token>'.")
        return await self.verifier.verify(token.strip())


class DomainErrors(SchemaExtension):
    """Gives every error a stable ``extensions.code``; masks unexpected ones."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is None or not result.errors:
            return
        context = self.execution_context.context
        request_id = getattr(context, "request_id", None)
        result.errors = [_coded(error, request_id) for error in result.errors]


def _coded(error: GraphQLError, request_id: str | None) -> GraphQLError:
    original = error.original_error
    if isinstance(original, DomainError):
        return _with_extensions(error, original.message, original.extensions())
    if original is None or isinstance(original, GraphQLError):
        # Raised by graphql-core itself: syntax, validation, variable coercion.
        return _with_extensions(error, error.message, {"code": _graphql_error_code(error)})
    log.error(
        "unexpected error (request %s) at %s",
        request_id,
        error.path,
        exc_info=(type(original), original, original.__traceback__),
    )
    extensions: dict[str, Any] = {"code": ErrorCode.INTERNAL_SERVER_ERROR.value}
    if request_id:
        extensions["requestId"] = request_id
    return _with_extensions(error, "Unexpected error.", extensions)


def _graphql_error_code(error: GraphQLError) -> str:
    if error.extensions and "code" in error.extensions:
        return str(error.extensions["code"])
    if error.message.startswith("Syntax Error"):
        return "GRAPHQL_PARSE_FAILED"
    if error.message.startswith("Variable ") or error.path:
        return ErrorCode.BAD_USER_INPUT.value
    return "GRAPHQL_VALIDATION_FAILED"


def _with_extensions(error: GraphQLError, message: str, extensions: dict[str, Any]) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions={**(error.extensions or {}), **extensions},
    )


class RejectUnstorableText(SchemaExtension):
    """Refuses a request with text PostgreSQL cannot store in its variables or string
    literals: a NUL character, or half a UTF-16 surrogate pair, which JSON can escape
    ("\\ud800") but UTF-8 cannot encode. Such a value would fail in SQL, as an
    unexpected error. (The GraphQL lexer already refuses surrogates in literals.)
    """

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        problem = unstorable(context.variables)
        if problem is None and _holds_nul_literal(context.graphql_document):
            problem = NUL_TEXT
        if problem is not None:
            error = GraphQLError(problem, extensions={"code": ErrorCode.BAD_USER_INPUT.value})
            # Strawberry skips execution when on_execute has set a result.
            context.result = GraphQLExecutionResult(data=None, errors=[error])
        yield


class _NulLiteralFinder(Visitor):
    found = False

    def enter_string_value(self, node: StringValueNode, *_: object) -> object:
        # Raw or escaped ("\u0000") in the query text, the parsed value holds the NUL.
        if "\x00" in node.value:
            self.found = True
            return BREAK
        return None


def _holds_nul_literal(document: DocumentNode | None) -> bool:
    finder = _NulLiteralFinder()
    if document is not None:
        visit(document, finder)
    return finder.found


class SubgraphSchema(strawberry.federation.Schema):
    """A Federation 2 subgraph schema with the shared error handling, text guard and scalars."""

    def __init__(
        self, query: type, mutation: type | None = None, types: Sequence[type] = ()
    ) -> None:
        super().__init__(
            query=query,
            mutation=mutation,
            types=list(types),
            extensions=[DomainErrors, RejectUnstorableText],
            config=StrawberryConfig(scalar_map=SCALARS),
        )

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Strawberry would log every error with a traceback, expected ones included;
        # DomainErrors logs the unexpected ones, with the request id.
        return None

    def entities_resolver(
        self, info: strawberry.Info, representations: list[FederationAny]
    ) -> list[FederationAny]:
        """Strawberry's ``_entities``, but a representation this subgraph cannot resolve
        (not an object, an unknown or non-entity ``__typename``, key fields missing or
        unknown) gets a BAD_USER_INPUT error in its place instead of an unexpected error."""
        refused = [_refusal(self, representation) for representation in representations]
        accepted = [r for r, error in zip(representations, refused, strict=True) if not error]
        resolved = iter(super().entities_resolver(info, accepted) if accepted else [])
        # Strawberry builds the _entities field from these annotations; an error in the list
        # is that index's error, as in Strawberry's own resolver.
        return [cast(FederationAny, error) or next(resolved) for error in refused]


def _refusal(schema: SubgraphSchema, representation: Any) -> DomainError | None:
    """Why ``representation`` cannot be resolved here, or None when it can."""
    if not isinstance(representation, dict) or not isinstance(
        representation.get("__typename"), str
    ):
        return bad_input("A representation must be an object with a __typename.")
    typename = representation["__typename"]
    type_ = schema.schema_converter.type_map.get(typename)
    origin = getattr(getattr(type_, "definition", None), "origin", None)
    resolve = getattr(origin, "resolve_reference", None)
    if resolve is None:
        return bad_input(f"{typename} is not an entity this subgraph resolves.")
    parameters = inspect.signature(resolve).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        return None
    given = set(representation) - {"__typename"}
    expected = set(parameters) - {"info"}
    required = {name for name in expected if parameters[name].default is inspect.Parameter.empty}
    if not required <= given or not given <= expected:
        return bad_input(f"A {typename} representation takes: {', '.join(sorted(expected))}.")
    return None


# Every subgraph that paginates has this type: federation requires it to be shareable.
@strawberry.federation.type(shareable=True)
class PageInfo:
    has_next_page: bool
    end_cursor: str | None

    @classmethod
    def from_page(cls, page: Page[Any]) -> PageInfo:
        end_cursor = encode_cursor(page.rows[-1]) if page.rows else None
        return cls(has_next_page=page.has_next_page, end_cursor=end_cursor)


class GraphQLView(GraphQL[Context, None]):
    """Strawberry's ASGI view; the context comes from the request's state, which the
    service app's lifespan and ``RequestSessionMiddleware`` fill in."""

    def decode_json(self, data: str | bytes) -> object:
        # json.loads raises RecursionError on values nested about a thousand deep, and a
        # plain ValueError on integers of over 4300 digits. Strawberry answers only a
        # JSONDecodeError with 400 (a client error), anything else with 500.
        try:
            return json.loads(data)
        except (RecursionError, ValueError) as error:
            raise json.JSONDecodeError(str(error), "", 0) from None

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        state = request.state
        client = request.client
        return Context(
            db=state.db,
            settings=state.settings,
            verifier=state.verifier,
            request_id=state.request_id,
            authorization=request.headers.get("authorization"),
            client_ip=client.host if client else None,
            user_agent=request.headers.get("user-agent"),
            extras=state.extras,
        )
