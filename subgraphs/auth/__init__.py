"""Auth subgraph: accounts, credentials, sessions, roles and the security audit log."""
