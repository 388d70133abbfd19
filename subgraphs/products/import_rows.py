"""Reading product import files: CSV with a header row, or JSON Lines, one record at a
time, each as the values a JSON object would hold (lists for categories and tags), or
as the reason it could not be read. Nothing here holds more than one record.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from shared import validation as v
from shared.errors import bad_input
from subgraphs.products.errors import ProductError, ProductErrorCode

# Columns of a CSV file and keys of a JSON Lines object.
COLUMNS = (
    "sku",
    "name",
    "slug",
    "description",
    "short_description",
    "price",
    "currency",
    "compare_at_price",
    "cost_price",
    "status",
    "is_visible",
    "weight",
    "length",
    "width",
    "height",
    "meta_title",
    "meta_description",
    "attributes",
    "categories",
    "tags",
)
REQUIRED_COLUMNS = ("sku", "name", "price")
_NUMBERS = frozenset(
    {"price", "compare_at_price", "cost_price", "weight", "length", "width", "height"}
)
# In CSV, a cell holding several categories or tags separates them with this.
LIST_SEPARATOR = "|"
_TRUE = frozenset({"true", "1", "yes", "y"})
_FALSE = frozenset({"false", "0", "no", "n"})


class ImportFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"


@dataclass(frozen=True)
class SourceRow:
    """One record of an import file: the line it starts on, and its values, or why it
    could not be read."""

    line: int
    values: dict[str, Any]
    error: str | None = None


def decode_lines(
    chunks: Iterable[bytes], on_read: Callable[[int], None] | None = None
) -> Iterator[str]:
    """UTF-8 text lines of a binary file read line by line; ``on_read`` gets each line's
    size in bytes, for progress. A byte order mark is dropped."""
    for number, chunk in enumerate(chunks, start=1):
        if on_read is not None:
            on_read(len(chunk))
        try:
            line = chunk.decode()
        except UnicodeDecodeError:
            raise _bad_file(f"Line {number} is not UTF-8 text.") from None
        yield line.removeprefix("\ufeff") if number == 1 else line


def read_rows(lines: Iterable[str], format: ImportFormat) -> Iterator[SourceRow]:
    """The records of an import file, one at a time, with their values as given."""
    if format is ImportFormat.CSV:
        return _read_csv(iter(lines))
    return _read_jsonl(lines)


def _read_csv(lines: Iterator[str]) -> Iterator[SourceRow]:
    reader = csv.reader(lines)
    header = [name.strip().lower() for name in next(reader, [])]
    _check_header(header)
    start = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            # A field over csv's size limit, say; the reader goes on with the next row.
            yield SourceRow(start, {}, f"The row cannot be read: {exc}.")
            cells = []
        if any(cell.strip() for cell in cells):
            yield _csv_row(start, header, cells)
        start = reader.line_num + 1


def _check_header(header: list[str]) -> None:
    if not header:
        raise _bad_file("The file is empty: a CSV file starts with a header row.")
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise _bad_file(f"Unknown column(s): {', '.join(unknown)}.")
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise _bad_file(f"Missing column(s): {', '.join(missing)}.")
    if len(set(header)) != len(header):
        raise _bad_file("A column is named twice in the header.")


def _csv_row(line: int, header: list[str], cells: list[str]) -> SourceRow:
    if len(cells) != len(header):
        error = f"The row has {len(cells)} cells; the header has {len(header)}."
        return SourceRow(line, {}, error)
    try:
        values = {
            name: _csv_value(name, cell.strip())
            for name, cell in zip(header, cells, strict=True)
            if cell.strip()
        }
    except ValueError as exc:
        return SourceRow(line, {}, str(exc))
    problem = v.unstorable(values)
    if problem is not None:
        return SourceRow(line, {}, problem)
    return SourceRow(line, values)


def _csv_value(name: str, cell: str) -> Any:
    """A CSV cell as the value a JSON Lines object would hold for it."""
    if name in ("categories", "tags"):
        return [item.strip() for item in cell.split(LIST_SEPARATOR) if item.strip()]
    if name == "attributes":
        try:
            return _json(cell)
        except ValueError:
            raise ValueError("attributes must be a JSON object.") from None
    if name == "is_visible":
        if cell.lower() in _TRUE:
            return True
        if cell.lower() in _FALSE:
            return False
        raise ValueError("is_visible must be true or false.")
    return cell


def _read_jsonl(lines: Iterable[str]) -> Iterator[SourceRow]:
    for number, line in enumerate(lines, start=1):
        if line.strip():
            yield _jsonl_row(number, line)


def _jsonl_row(line: int, text: str) -> SourceRow:
    try:
        values = _json(text)
    except ValueError as exc:
        return SourceRow(line, {}, f"Not valid JSON: {exc}.")
    if not isinstance(values, dict):
        return SourceRow(line, {}, "A line must hold a JSON object.")
    problem = v.unstorable(values)
    if problem is not None:
        return SourceRow(line, {}, problem)
    unknown = sorted(set(values) - set(COLUMNS))
    if unknown:
        return SourceRow(line, {}, f"Unknown key(s): {', '.join(unknown)}.")
    return SourceRow(line, {name: value for name, value in values.items() if value is not None})


def _json(text: str) -> Any:
    """The JSON value ``text`` holds; ValueError saying why there is none."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(exc.msg) from None
    except RecursionError:
        raise ValueError("nested too deeply") from None
    except ValueError:  # Python reads no integer of over 4300 digits
        raise ValueError("a number is too long") from None


def _bad_file(message: str) -> ProductError:
    return ProductError(ProductErrorCode.INVALID_IMPORT_FILE, message, field="content")


def check_type(name: str, value: Any) -> None:
    """JSON Lines values have the types the catalog's validators take."""
    if name in ("categories", "tags"):
        ok = isinstance(value, list) and all(isinstance(item, str) for item in value)
        expected = "a list of strings"
    elif name in _NUMBERS:
        ok = isinstance(value, str | int | float) and not isinstance(value, bool)
        expected = "a number"
    elif name == "is_visible":
        ok, expected = isinstance(value, bool), "true or false"
    elif name == "attributes":
        ok, expected = isinstance(value, dict), "an object"
    else:
        ok, expected = isinstance(value, str), "a string"
    if not ok:
        raise bad_input(f"{v.camel(name)} must be {expected}.", field=v.camel(name))
