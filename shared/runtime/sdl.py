"""The SDL each subgraph publishes, as committed under ``schema/subgraphs/``."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schema" / "subgraphs"


def subgraph_sdl(service: str) -> str:
    """What the subgraph answers to ``{ _service { sdl } }``, as the router asks it."""
    schema = importlib.import_module(f"subgraphs.{service}.schema").schema
    result = schema.execute_sync("{ _service { sdl } }")
    if result.errors:
        raise RuntimeError(f"{service}: _service query failed: {result.errors}")
    return str(result.data["_service"]["sdl"])


def sdl_file(service: str) -> Path:
    return SCHEMA_DIR / f"{service}.graphql"


def file_text(sdl: str) -> str:
    return sdl.rstrip("\n") + "\n"


def stale_sdl_files(services: Iterable[str]) -> dict[Path, str]:
    """The SDL files that differ from what their subgraph publishes, with the new text."""
    stale: dict[Path, str] = {}
    for service in services:
        path = sdl_file(service)
        text = file_text(subgraph_sdl(service))
        if not path.exists() or path.read_text() != text:
            stale[path] = text
    return stale
