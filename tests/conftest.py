"""Fixtures live in tests/fixtures/<area>.py, named for the state they give."""

pytest_plugins = [
    "tests.fixtures.database",
    "tests.fixtures.broker",
    "tests.fixtures.settings",
    "tests.fixtures.services",
    "tests.fixtures.peers",
    "tests.fixtures.auth",
    "tests.fixtures.users",
    "tests.fixtures.products",
    "tests.fixtures.migrations",
]
