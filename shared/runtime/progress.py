"""A one-line progress bar for long CLI jobs, redrawn in place on a terminal.

It draws only when its stream is a TTY, so piped or logged output stays clean.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 30
# Redraw at most this often: a terminal write per row would cost more than the work.
MIN_REDRAW_SECONDS = 0.1


class ProgressBar:
    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total = max(total, 1)
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty()
        self._drawn_at = 0.0

    def __repr__(self) -> str:
        return f"ProgressBar({self.total!r})"

    def update(self, done: int, note: str = "", *, force: bool = False) -> None:
        """Show ``done`` of ``total`` with a trailing ``note``."""
        now = time.monotonic()
        if not self.enabled or (not force and now - self._drawn_at < MIN_REDRAW_SECONDS):
            return
        self._drawn_at = now
        self.stream.write(f"\r\033[K{render(done, self.total, note)}")
        self.stream.flush()

    def finish(self, note: str = "") -> None:
        """Draw the full bar and end its line."""
        if self.enabled:
            self.update(self.total, note, force=True)
            self.stream.write("\n")
            self.stream.flush()


def render(done: int, total: int, note: str = "") -> str:
    """``[#########.....]  64% note``: the bar as text."""
    fraction = min(max(done / total, 0.0), 1.0) if total > 0 else 1.0
    filled = round(fraction * WIDTH)
    bar = "#" * filled + "." * (WIDTH - filled)
    return f"[{bar}] {fraction:4.0%} {note}".rstrip()
