"""The products subgraph: catalog, categories, inventory, reviews and search."""
