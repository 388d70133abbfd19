"""Router settings from a TOML file, the way operators configure Apollo's router.

```toml
supergraph = "schema/supergraph.graphql"
port = 4000
timeout_seconds = 30
forwarded_headers = ["authorization", "x-request-id"]
```
Command-line options win over the file; the file wins over the defaults.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class RouterConfig:
    supergraph: Path = Path("schema/supergraph.graphql")
    host: str = "127.0.0.1"
    port: int = 4000
    timeout_seconds: float = 30.0
    forwarded_headers: tuple[str, ...] = ("authorization",)

    @classmethod
    def from_file(cls, path: Path) -> RouterConfig:
        """Read a TOML file; unknown keys and wrongly typed values are errors."""
        raw = tomllib.loads(path.read_text())
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(raw) - set(known))
        if unknown:
            raise ValueError(f"{path}: unknown setting(s) {', '.join(unknown)}")
        return replace(cls(), **{name: _value(path, name, value) for name, value in raw.items()})


def _value(path: Path, name: str, value: Any) -> Any:
    expected = {
        "supergraph": str,
        "host": str,
        "port": int,
        "timeout_seconds": (int, float),
        "forwarded_headers": list,
    }[name]
    if not isinstance(value, expected) or isinstance(value, bool):
        raise ValueError(f"{path}: {name} has the wrong type ({type(value).__name__})")
    if name == "supergraph":
        return Path(value)
    if name == "forwarded_headers":
        return tuple(str(header).lower() for header in value)
    return value
