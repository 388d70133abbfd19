"""GraphQL types and resolvers of the products subgraph, one module per area."""
