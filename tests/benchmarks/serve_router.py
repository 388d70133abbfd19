"""Our router on a supergraph file under uvicorn, with the event loop and HTTP parser
chosen, and without uvicorn's access log (``commerce router`` keeps it on).

Usage: python -m tests.benchmarks.serve_router SUPERGRAPH PORT [--loop asyncio|uvloop]
       [--http h11|httptools]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn

from router.app import create_router_app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("supergraph", type=Path)
    parser.add_argument("port", type=int)
    parser.add_argument("--loop", choices=["asyncio", "uvloop"], default="uvloop")
    parser.add_argument("--http", choices=["h11", "httptools"], default="httptools")
    args = parser.parse_args()
    app = create_router_app(args.supergraph.read_text())
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=args.port,
        loop=args.loop,
        http=args.http,
        log_level="warning",
        access_log=False,
    )


if __name__ == "__main__":
    main()
