"""The platform the end-to-end tests talk to."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.platform import Platform, running_platform


@pytest.fixture(scope="package")
def platform() -> Iterator[Platform]:
    """``commerce dev``, ready, shared by every test that only talks to it: tests that
    write pick names of their own and leave the demo catalog's products as they are."""
    with running_platform() as platform:
        platform.wait_until_ready()
        yield platform


@pytest.fixture
def own_platform() -> Iterator[Platform]:
    """``commerce dev`` started for one test alone, which may stop it; not yet ready."""
    with running_platform() as platform:
        yield platform
