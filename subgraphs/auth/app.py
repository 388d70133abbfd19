"""The auth subgraph's ASGI app: the shared service app, plus the JWKS other services
verify access tokens with. Auth verifies its own tokens with its key, without HTTP."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from shared.app import create_service_app
from shared.auth.tokens import SigningKey, StaticKeys, TokenVerifier, jwks_document
from shared.settings import Settings
from subgraphs.auth.credentials import Security
from subgraphs.auth.schema import schema

SERVICE = "auth"
JWKS_PATH = "/.well-known/jwks.json"


def signing_key_path(settings: Settings) -> Path:
    if settings.jwt_private_key_file:
        return Path(settings.jwt_private_key_file)
    return settings.data_dir / "keys" / "auth-signing.pem"


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    key = SigningKey.load_or_create(signing_key_path(settings))
    jwks = jwks_document([key])

    async def serve_jwks(request: Request) -> JSONResponse:
        return JSONResponse(jwks, headers={"cache-control": "public, max-age=300"})

    verifier = TokenVerifier(
        StaticKeys(jwks), issuer=settings.jwt_issuer, audience=settings.jwt_audience
    )
    return create_service_app(
        SERVICE,
        schema,
        settings,
        verifier=verifier,
        extras={"security": Security.create(settings, key)},
        routes=[Route(JWKS_PATH, serve_jwks, methods=["GET"])],
    )
