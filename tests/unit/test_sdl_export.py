"""The SDL checked in under schema/subgraphs/ is what each subgraph publishes."""

from shared.runtime.platform import existing_subgraphs
from shared.runtime.sdl import stale_sdl_files


def test_checked_in_sdl_matches_every_subgraph() -> None:
    # given
    services = existing_subgraphs()

    # when
    stale = stale_sdl_files(services)

    # then
    assert services, "no subgraph found"
    assert [str(path) for path in stale] == [], "stale SDL: run `make sdl` and commit the result"
