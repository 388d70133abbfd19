"""GraphQL over HTTP: decode requests (GET and POST), negotiate the media type, encode
responses, and serve GraphiQL to browsers.

Status codes follow Apollo Server 4: 400 for a request that cannot run, 405 for a
mutation over GET, 200 once execution started. With ``Accept:
application/graphql-response+json`` the answer uses that media type, as the
GraphQL-over-HTTP spec asks. When the app allows it (``app.state.expose_query_plan``),
header ``Apollo-Expose-Query-Plan: true`` or ``dry-run`` asks for the query plan, as
Apollo's router answers it; otherwise the header is ignored.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from router import jsonio
from router.pipeline import GraphQLRequest, PlanExposure, RequestError, Router

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
EXPOSE_QUERY_PLAN = "apollo-expose-query-plan"

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


async def graphql_endpoint(request: Request) -> Response:
    router: Router = request.app.state.router
    media_type = _response_media_type(request)
    if request.method == "GET" and _wants_html(request):
        return HTMLResponse(GRAPHIQL_PAGE)
    try:
        if request.method == "GET":
            graphql_request = _from_query_string(request)
        else:
            graphql_request = _from_body(await _json_body(request))
        headers = _forwarded(request)
        body = await router.run(
            graphql_request,
            headers,
            read_only=request.method == "GET",
            expose_plan=_plan_exposure(request),
        )
    except RequestError as error:
        extra = {"allow": "POST"} if error.status == 405 else {}
        return _json({"errors": error.errors}, error.status, media_type, extra)
    return _json(body, 200, media_type)


async def health_endpoint(request: Request) -> Response:
    return JSONResponse({"status": "pass"})


def _json(
    body: Any, status: int, media_type: str, headers: dict[str, str] | None = None
) -> Response:
    content = jsonio.dumps(body)
    return Response(content, status, headers, media_type=f"{media_type}; charset=utf-8")


def _response_media_type(request: Request) -> str:
    accept = request.headers.get("accept", "")
    if GRAPHQL_RESPONSE not in accept:
        return JSON
    if JSON in accept and accept.index(JSON) < accept.index(GRAPHQL_RESPONSE):
        return JSON
    return GRAPHQL_RESPONSE


def _plan_exposure(request: Request) -> PlanExposure | None:
    if not request.app.state.expose_query_plan:
        return None
    try:
        return PlanExposure(request.headers.get(EXPOSE_QUERY_PLAN))
    except ValueError:  # absent, or a value Apollo's router ignores too
        return None


def _wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "query" not in request.query_params


def _forwarded(request: Request) -> dict[str, str]:
    names: tuple[str, ...] = request.app.state.forwarded_headers
    return {name: request.headers[name] for name in names if name in request.headers}


async def _json_body(request: Request) -> Any:
    content_type = request.headers.get("content-type", "")
    media, _, params = content_type.partition(";")
    if media.strip().lower() != JSON:
        raise _bad_request("POST body missing, invalid Content-Type, or JSON object has no keys.")
    if "charset" in params.lower() and "utf-8" not in params.lower():
        raise RequestError.of(415, f"Unsupported charset in {content_type!r}.", "BAD_REQUEST")
    try:
        return jsonio.loads(await request.body())
    except (ValueError, UnicodeDecodeError) as error:
        raise _bad_request(f"Malformed JSON body: {error}") from error


def _from_body(body: Any) -> GraphQLRequest:
    if not isinstance(body, dict) or not body:
        raise _bad_request("POST body missing, invalid Content-Type, or JSON object has no keys.")
    return _graphql_request(body.get("query"), body.get("operationName"), body.get("variables"))


def _from_query_string(request: Request) -> GraphQLRequest:
    params = request.query_params
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
