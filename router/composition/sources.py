"""Where subgraph SDLs come from: files on disk, or the subgraphs themselves over HTTP."""

from __future__ import annotations

from pathlib import Path

import httpx

from router.composition.compose import CompositionResult, compose
from router.composition.subgraph import SubgraphSource

SDL_QUERY = "{ _service { sdl } }"


def compose_files(paths: list[Path], urls: dict[str, str]) -> CompositionResult:
    """Compose SDL files; each subgraph is named after its file (``users.graphql`` -> users).

    ``urls`` maps those names to routing URLs; a missing one raises ``KeyError``, since a
    supergraph without a URL cannot be routed.
    """
    sources = [SubgraphSource(path.stem, urls[path.stem], path.read_text()) for path in paths]
    return compose(sources)


async def compose_live(urls: dict[str, str], timeout_seconds: float = 10.0) -> CompositionResult:
    """Fetch every subgraph's SDL with ``{ _service { sdl } }``, then compose them."""
    async with httpx.AsyncClient(timeout=timeout_seconds) as client:
        sources = [
            SubgraphSource(name, url, await fetch_sdl(client, url)) for name, url in urls.items()
        ]
    return compose(sources)


async def fetch_sdl(client: httpx.AsyncClient, url: str) -> str:
    """A subgraph's SDL; raises ``httpx.HTTPError`` or ``ValueError`` when it cannot be had."""
    response = await client.post(url, json={"query": SDL_QUERY})
    response.raise_for_status()
    body = response.json()
    try:
        return str(body["data"]["_service"]["sdl"])
    except (KeyError, TypeError) as error:
        raise ValueError(f"{url} answered without _service.sdl: {body.get('errors')}") from error
