"""The users subgraph: profiles, addresses, saved payment methods, preferences, wishlists."""
