"""Output of ``commerce dev``: one line per event, prefixed with who said it."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from typing import TextIO

# ANSI foreground colours handed out in turn: cyan, yellow, green, magenta, blue, red, bright...
_COLOURS = (36, 33, 32, 35, 34, 31, 96, 93, 92, 95, 94, 91)


class Console:
    def __init__(self, names: Iterable[str], stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stdout
        self.width = max(len(name) for name in names)
        self.colour = self.stream.isatty()
        self._colours: dict[str, int] = {}

    def prefix(self, name: str) -> str:
        label = f"{name:<{self.width}} | "
        if not self.colour:
            return label
        code = self._colours.setdefault(name, _COLOURS[len(self._colours) % len(_COLOURS)])
        return f"\033[{code}m{label}\033[0m"

    def line(self, name: str, text: str) -> None:
        self.stream.write(self.prefix(name) + text + "\n")
        self.stream.flush()


class ConsoleHandler(logging.Handler):
    """Prints log records as the lines of one speaker, ``platform`` by default."""

    def __init__(self, console: Console, speaker: str = "platform") -> None:
        super().__init__()
        self.console = console
        self.speaker = speaker

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.console.line(self.speaker, self.format(record))
        except Exception:
            self.handleError(record)
