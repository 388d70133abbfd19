"""Router settings from a TOML file, the way operators configure Apollo's router.

```toml
supergraph = "schema/supergraph.graphql"
port = 4000
workers = 1                  # uvicorn worker processes sharing the port
timeout_seconds = 30
forwarded_headers = ["authorization", "x-request-id"]
expose_query_plan = false    # answer the Apollo-Expose-Query-Plan header

[subgraph_urls]              # over the supergraph's join__graph URLs
auth = "http://auth:4001/graphql"
```
Command-line options win over the file; the file wins over the defaults.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class RouterConfig:
    supergraph: Path = Path("schema/supergraph.graphql")
    host: str = "127.0.0.1"
    port: int = 4000
    workers: int = 1
    timeout_seconds: float = 30.0
    forwarded_headers: tuple[str, ...] = ("authorization",)
    expose_query_plan: bool = False
    subgraph_urls: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_file(cls, path: Path, *, base: RouterConfig | None = None) -> RouterConfig:
        """Read a TOML file over ``base`` (else the defaults); unknown keys and wrongly typed
        values are errors."""
        return cls.from_dict(tomllib.loads(path.read_text()), source=str(path), base=base)

    @classmethod
    def from_json(cls, text: str, *, source: str) -> RouterConfig:
        return cls.from_dict(json.loads(text), source=source)

    @classmethod
    def from_dict(
        cls, raw: dict[str, Any], *, source: str, base: RouterConfig | None = None
    ) -> RouterConfig:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise ValueError(f"{source}: unknown setting(s) {', '.join(unknown)}")
        given = {name: _value(source, name, value) for name, value in raw.items()}
        return replace(base or cls(), **given)

    def to_json(self) -> str:
        """The settings as JSON, read back by ``from_json`` (in uvicorn's worker processes)."""
        return json.dumps(asdict(self), default=str)


_TYPES: dict[str, type[Any] | tuple[type[Any], ...]] = {
    "supergraph": str,
    "host": str,
    "port": int,
    "workers": int,
    "timeout_seconds": (int, float),
    "forwarded_headers": list,
    "expose_query_plan": bool,
    "subgraph_urls": dict,
}


def _value(source: str, name: str, value: Any) -> Any:
    expected = _TYPES[name]
    # bool is a subclass of int: `port = true` is a mistake, not port 1.
    if not isinstance(value, expected) or (expected is not bool and isinstance(value, bool)):
        raise ValueError(f"{source}: {name} has the wrong type ({type(value).__name__})")
    if name == "supergraph":
        return Path(value)
    if name == "workers" and value < 1:
        raise ValueError(f"{source}: workers must be at least 1 (got {value})")
    if name == "forwarded_headers":
        return tuple(str(header).lower() for header in value)
    if name == "subgraph_urls":
        return {subgraph: _url(source, subgraph, url) for subgraph, url in value.items()}
    return value


def _url(source: str, subgraph: str, url: Any) -> str:
    if not isinstance(url, str):
        raise ValueError(
            f"{source}: subgraph_urls.{subgraph} has the wrong type ({type(url).__name__})"
        )
    return url
