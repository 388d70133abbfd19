"""GraphQL over HTTP: decode requests (GET and POST), negotiate the media type, encode
responses, and serve GraphiQL to browsers.

Status codes follow Apollo Server 4: 400 for a request that cannot run, 405 for a
mutation over GET, 200 once execution started. With ``Accept:
application/graphql-response+json`` the answer uses that media type, as the
GraphQL-over-HTTP spec asks. When the app allows it (``state.expose_query_plan``), header
``Apollo-Expose-Query-Plan: true`` or ``dry-run`` asks for the query plan, as Apollo's
router answers it; otherwise the header is ignored.

The endpoint is a bare ASGI app (no Starlette ``Request``/``Response`` objects): every
client request passes through it, and under load their construction cost about as much
as the router's own work on a one-fetch query.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from router import jsonio
from router.pipeline import GraphQLRequest, PlanExposure, RequestError

if TYPE_CHECKING:
    from starlette.types import Receive, Scope, Send

    from router.pipeline import Router

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
EXPOSE_QUERY_PLAN = "apollo-expose-query-plan"
CONTENT_TYPES = {
    media_type: f"{media_type}; charset=utf-8".encode() for media_type in (JSON, GRAPHQL_RESPONSE)
}
ALLOW_POST = (b"allow", b"POST")

GRAPHIQL_PAGE = """<!doctype html>
<html>
  <head>
    <title>GraphiQL</title>
    <link rel="stylesheet" href="https://unpkg.com/graphiql@3/graphiql.min.css" />
  </head>
  <body style="margin: 0">
    <div id="graphiql" style="height: 100vh"></div>
    <script crossorigin src="https://unpkg.com/react@18/umd/react.production.min.js"></script>
    <script crossorigin src="https://unpkg.com/react-dom@18/umd/react-dom.production.min.js"></script>
    <script crossorigin src="https://unpkg.com/graphiql@3/graphiql.min.js"></script>
    <script>
      const fetcher = GraphiQL.createFetcher({ url: window.location.href });
      ReactDOM.createRoot(document.getElementById("graphiql")).render(
        React.createElement(GraphiQL, { fetcher })
      );
    </script>
  </body>
</html>
"""
GRAPHIQL = GRAPHIQL_PAGE.encode()
HTML = b"text/html; charset=utf-8"


class GraphQLHttp:
    """The ``/graphql`` endpoint. It reads the app's ``state``: ``router`` (set when the
    lifespan starts: its subgraph client needs the running event loop),
    ``forwarded_headers`` (lower-case names) and ``expose_query_plan``."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        state = scope["app"].state
        headers = _headers(scope)
        media_type = _response_media_type(headers.get("accept", ""))
        read_only = scope["method"] == "GET"
        params = _query_params(scope) if read_only else {}
        if read_only and "text/html" in headers.get("accept", "") and "query" not in params:
            await _respond(send, 200, GRAPHIQL, HTML)
            return
        try:
            if read_only:
                graphql_request = _from_query_string(params)
            else:
                graphql_request = _from_body(await _json_body(headers, receive))
            router: Router = state.router
            body = await router.run(
                graphql_request,
                {name: headers[name] for name in state.forwarded_headers if name in headers},
                read_only=read_only,
                expose_plan=_plan_exposure(headers) if state.expose_query_plan else None,
            )
        except RequestError as error:
            extra = [ALLOW_POST] if error.status == 405 else []
            content = jsonio.dumps({"errors": error.errors})
            await _respond(send, error.status, content, CONTENT_TYPES[media_type], extra)
            return
        await _respond(send, 200, jsonio.dumps(body), CONTENT_TYPES[media_type])


def _plan_exposure(headers: dict[str, str]) -> PlanExposure | None:
    try:
        return PlanExposure(headers.get(EXPOSE_QUERY_PLAN))
    except ValueError:  # absent, or a value Apollo's router ignores too
        return None


async def _respond(
    send: Send,
    status: int,
    content: bytes,
    content_type: bytes,
    headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    raw_headers = [
        *(headers or ()),
        (b"content-length", str(len(content)).encode()),
        (b"content-type", content_type),
    ]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": content})


def _headers(scope: Scope) -> dict[str, str]:
    """The request's headers by name (lower case, as ASGI servers give them); the first
    of repeated ones wins (as in Starlette)."""
    return {
        name.decode("latin-1"): value.decode("latin-1")
        for name, value in reversed(scope["headers"])
    }


def _query_params(scope: Scope) -> dict[str, str]:
    """The query string's parameters; the last of repeated ones wins (as in Starlette)."""
    return dict(parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True))


def _response_media_type(accept: str) -> str:
    if GRAPHQL_RESPONSE not in accept:
        return JSON
    if JSON in accept and accept.index(JSON) < accept.index(GRAPHQL_RESPONSE):
        return JSON
    return GRAPHQL_RESPONSE


async def _body(receive: Receive) -> bytes:
    chunks = []
    more = True
    while more:
        message = await receive()
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)


async def _json_body(headers: dict[str, str], receive: Receive) -> Any:
    content_type = headers.get("content-type", "")
    media, _, params = content_type.partition(";")
    if media.strip().lower() != JSON:
        raise _bad_request("POST body missing, invalid Content-Type, or JSON object has no keys.")
    if "charset" in params.lower() and "utf-8" not in params.lower():
        raise RequestError.of(415, f"Unsupported charset in {content_type!r}.", "BAD_REQUEST")
    try:
        return jsonio.loads(await _body(receive))
    except (ValueError, UnicodeDecodeError) as error:
        raise _bad_request(f"Malformed JSON body: {error}") from error


def _from_body(body: Any) -> GraphQLRequest:
    if not isinstance(body, dict) or not body:
        raise _bad_request("POST body missing, invalid Content-Type, or JSON object has no keys.")
    return _graphql_request(body.get("query"), body.get("operationName"), body.get("variables"))


def _from_query_string(params: dict[str, str]) -> GraphQLRequest:
    variables: Any = params.get("variables")
    if variables is not None:
        try:
            variables = jsonio.loads(variables)
        except ValueError as error:
            raise _bad_request("`variables` in a GET request should be JSON.") from error
    return _graphql_request(params.get("query"), params.get("operationName"), variables)


def _graphql_request(query: Any, operation_name: Any, variables: Any) -> GraphQLRequest:
    if not isinstance(query, str) or not query:
        raise _bad_request(
            "GraphQL operations must contain a non-empty `query` or a `persistedQuery` extension."
        )
    if operation_name is not None and not isinstance(operation_name, str):
        raise _bad_request("`operationName` in a request should be a string if provided.")
    if variables is not None and not isinstance(variables, dict):
        raise _bad_request("`variables` in a POST body must be an object if provided.")
    return GraphQLRequest(query, operation_name, variables)


def _bad_request(message: str) -> RequestError:
    return RequestError.of(400, message, "BAD_REQUEST")
