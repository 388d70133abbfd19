"""Our router on a supergraph file under uvicorn, with the event loop, HTTP parser and
number of worker processes chosen, and without uvicorn's access log (``commerce
router`` keeps it on).

Usage: python -m tests.benchmarks.serve_router SUPERGRAPH PORT [--loop asyncio|uvloop]
       [--http h11|httptools] [--workers N]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import uvicorn

from router.app import CONFIG_ENV, FACTORY, app_from_config
from router.config import RouterConfig


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("supergraph", type=Path)
    parser.add_argument("port", type=int)
    parser.add_argument("--loop", choices=["asyncio", "uvloop"], default="uvloop")
    parser.add_argument("--http", choices=["h11", "httptools"], default="httptools")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    config = RouterConfig(supergraph=args.supergraph)
    if args.workers > 1:
        # uvicorn starts workers from an import string, as `commerce router --workers` does.
        os.environ[CONFIG_ENV] = config.to_json()
    uvicorn.run(
        app_from_config(config) if args.workers == 1 else FACTORY,
        factory=args.workers > 1,
        workers=args.workers,
        host="127.0.0.1",
        port=args.port,
        loop=args.loop,
        http=args.http,
        log_level="warning",
        access_log=False,
    )


if __name__ == "__main__":
    main()
