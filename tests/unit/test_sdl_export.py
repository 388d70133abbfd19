"""The SDL checked in under schema/ is what the subgraphs publish and what they compose to."""

from router.composition import compose_files
from shared.runtime.platform import SUPERGRAPH_FILE, existing_subgraphs, routing_urls
from shared.runtime.sdl import file_text, sdl_file, stale_sdl_files
from shared.settings import Settings


def test_checked_in_sdl_matches_every_subgraph() -> None:
    # given
    services = existing_subgraphs()

    # when
    stale = stale_sdl_files(services)

    # then
    assert services, "no subgraph found"
    assert [str(path) for path in stale] == [], "stale SDL: run `make sdl` and commit the result"


def test_checked_in_supergraph_is_the_composition_of_the_checked_in_sdl() -> None:
    # given
    services = existing_subgraphs()
    urls = routing_urls(Settings(), services)

    # when
    result = compose_files([sdl_file(service) for service in services], urls)

    # then
    assert result.errors == []
    assert result.supergraph_sdl is not None
    expected = file_text(result.supergraph_sdl)
    assert SUPERGRAPH_FILE.read_text() == expected, "stale supergraph: run `make sdl`"
