"""The service kit every subgraph uses: settings, database, events, auth, errors, GraphQL."""
