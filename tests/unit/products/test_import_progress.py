from __future__ import annotations

import io

from shared.runtime.progress import ProgressBar, render


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_fills_with_the_fraction_done() -> None:
    # given
    done, total = 64, 100

    # when
    text = render(done, total, "64 rows")

    # then
    assert text == "[" + "#" * 19 + "." * 11 + "]  64% 64 rows"


def test_the_bar_draws_on_a_terminal_and_ends_its_line() -> None:
    # given
    terminal = Terminal()
    bar = ProgressBar(200, terminal)

    # when
    bar.update(50, "first", force=True)
    bar.finish("done")

    # then
    assert terminal.getvalue() == (
        "\r\033[K[" + "#" * 8 + "." * 22 + "]  25% first\r\033[K[" + "#" * 30 + "] 100% done\n"
    )


def test_the_bar_writes_nothing_when_the_stream_is_not_a_terminal() -> None:
    # given
    piped = io.StringIO()
    bar = ProgressBar(10, piped)

    # when
    bar.update(5, force=True)
    bar.finish()

    # then
    assert piped.getvalue() == ""
