"""One package per domain service; each is a Strawberry federation subgraph."""
