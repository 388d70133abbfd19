"""The README names only commands, options, make targets, settings, files and sections
that exist: a renamed one fails here instead of misleading a newcomer."""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import fields
from functools import cache
from pathlib import Path

import pytest

from shared.cli import main
from shared.settings import PREFIX, Settings

REPOSITORY = Path(__file__).resolve().parents[2]
README = (REPOSITORY / "README.md").read_text()

# Inline code that reads as a path: a slash, or a file extension the project uses.
PATH_LIKE = re.compile(r"/|\.(py|md|toml|ya?ml|json|graphql|mjs|csv|jsonl|example|pem|key)$")
# ... but is not one of the repository's: URL paths, npm packages, placeholders.
NOT_A_FILE = re.compile(r"^[/@]|://|<|\*")
NOT_REPOSITORY_PATHS = {"electronics/audio"}  # a category's slug path


def _split(markdown: str) -> tuple[str, list[str]]:
    """The prose of a Markdown text, and the lines of its fenced code blocks."""
    prose: list[str] = []
    code: list[str] = []
    in_block = False
    for line in markdown.splitlines():
        if line.startswith("```"):
            in_block = not in_block
        else:
            (code if in_block else prose).append(line)
    return "\n".join(prose), code


PROSE, BLOCK_LINES = _split(README)
INLINE_CODE = [" ".join(span.split()) for span in re.findall(r"`([^`]+)`", PROSE)]
CODE = BLOCK_LINES + INLINE_CODE


@cache
def _help(command: str) -> str | None:
    """What ``commerce COMMAND --help`` prints; None when there is no such command."""
    out = io.StringIO()
    with (
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(io.StringIO()),
        pytest.raises(SystemExit) as raised,
    ):
        main([command, "--help"])
    return out.getvalue() if raised.value.code == 0 else None


def _shown_commands() -> list[tuple[str, list[str]]]:
    """Each ``commerce COMMAND`` in the README's code, with the options after it."""
    return [
        (match.group(1), re.findall(r"--[a-z][a-z-]*", match.group(2)))
        for text in CODE
        for match in re.finditer(r"(?:^|[\s/])commerce ([a-z][a-z-]*)(.*)", text)
    ]


def test_every_commerce_command_it_shows_exists() -> None:
    # given
    commands = {command for command, _ in _shown_commands()}

    # when
    missing = sorted(command for command in commands if _help(command) is None)

    # then
    assert {"dev", "router", "plan", "import-products", "service-token"} <= commands
    assert missing == []


def test_every_option_it_shows_belongs_to_its_command() -> None:
    # given
    uses = [(command, option) for command, options in _shown_commands() for option in options]

    # when
    missing = [
        f"{command} {option}"
        for command, option in uses
        if not re.search(rf"(?<![\w-]){option}(?![\w-])", _help(command) or "")
    ]

    # then
    assert ("router", "--supergraph") in uses
    assert missing == []


def test_every_make_target_it_shows_exists() -> None:
    # given
    makefile = (REPOSITORY / "Makefile").read_text()
    targets = {
        match.group(1) for text in CODE for match in re.finditer(r"(?:^|\s)make ([a-z-]+)", text)
    }

    # when
    missing = sorted(t for t in targets if not re.search(rf"^{t}:", makefile, re.MULTILINE))

    # then
    assert {"dev", "test"} <= targets
    assert missing == []


def test_every_setting_it_names_is_read_from_the_environment() -> None:
    # given
    named = set(re.findall(rf"{PREFIX}[A-Z0-9_]+", README))
    settings = {PREFIX + field.name.upper() for field in fields(Settings)}

    # when
    unknown = sorted(named - settings)

    # then
    assert f"{PREFIX}DATABASE_URL" in named
    assert unknown == []


def test_every_file_it_names_exists() -> None:
    # given
    paths = {
        span
        for span in INLINE_CODE
        if " " not in span and PATH_LIKE.search(span) and not NOT_A_FILE.search(span)
    } - NOT_REPOSITORY_PATHS

    # when
    missing = sorted(path for path in paths if not (REPOSITORY / path).exists())

    # then
    assert {"compose.yaml", "shared/settings.py"} <= paths
    assert missing == []


def test_every_link_to_a_section_has_its_heading() -> None:
    # given
    anchors = set(re.findall(r"\]\(#([^)]+)\)", PROSE))
    headings = re.findall(r"^#+ (.+)$", PROSE, re.MULTILINE)

    # when
    # GitHub's anchors: lower case, punctuation dropped, spaces as hyphens.
    slugs = {re.sub(r"[^\w -]", "", heading.lower()).replace(" ", "-") for heading in headings}

    # then
    assert "demo-data" in anchors
    assert sorted(anchors - slugs) == []
