from __future__ import annotations

import io
from collections.abc import Iterator

import pytest

from subgraphs.products.errors import ProductError
from subgraphs.products.import_rows import (
    ImportFormat,
    SourceRow,
    decode_lines,
    read_rows,
)


def test_csv_cells_become_typed_values_and_blank_cells_are_left_out() -> None:
    # given
    lines = io.StringIO(
        "SKU,name,price,tags,categories,attributes,is_visible,description\r\n"
        'hp-1,Headphones,19.90,audio| wireless ,audio/headphones,"{""colour"": ""red""}",no,\r\n',
        newline="",
    )

    # when
    rows = list(read_rows(lines, ImportFormat.CSV))

    # then
    assert rows == [
        SourceRow(
            2,
            {
                "sku": "hp-1",
                "name": "Headphones",
                "price": "19.90",
                "tags": ["audio", "wireless"],
                "categories": ["audio/headphones"],
                "attributes": {"colour": "red"},
                "is_visible": False,
            },
        )
    ]


def test_csv_rows_carry_the_line_they_start_on() -> None:
    # given
    lines = io.StringIO(
        'sku,name,price,description\nA,One,1,"two\nlines"\n\nB,Two,2,\n', newline=""
    )

    # when
    rows = list(read_rows(lines, ImportFormat.CSV))

    # then
    assert [(row.line, row.values["sku"]) for row in rows] == [(2, "A"), (5, "B")]


def test_unreadable_csv_rows_are_reported_not_raised() -> None:
    # given
    lines = io.StringIO(
        "sku,name,price,attributes,is_visible\nA,One,1\nB,Two,2,{not json},\nC,Three,3,,maybe\n"
    )

    # when
    rows = list(read_rows(lines, ImportFormat.CSV))

    # then
    assert rows == [
        SourceRow(2, {}, "The row has 3 cells; the header has 5."),
        SourceRow(3, {}, "attributes must be a JSON object."),
        SourceRow(4, {}, "is_visible must be true or false."),
    ]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("", "The file is empty: a CSV file starts with a header row."),
        ("sku,name,price,colour", "Unknown column(s): colour."),
        ("sku,name", "Missing column(s): price."),
        ("sku,name,price,name", "A column is named twice in the header."),
    ],
)
def test_a_csv_header_that_does_not_fit_rejects_the_file(header: str, message: str) -> None:
    # given
    lines = io.StringIO(header + "\n")

    # when
    with pytest.raises(ProductError) as raised:
        list(read_rows(lines, ImportFormat.CSV))

    # then
    assert (raised.value.code, raised.value.message) == ("INVALID_IMPORT_FILE", message)


def test_jsonl_lines_are_objects_and_bad_lines_are_reported() -> None:
    # given
    lines = io.StringIO(
        '{"sku": "A", "name": "One", "price": 1.5, "tags": ["x"], "description": null}\n'
        "\n"
        "[1, 2]\n"
        "{broken\n"
        '{"sku": "B", "colour": "red"}\n'
    )

    # when
    rows = list(read_rows(lines, ImportFormat.JSONL))

    # then
    assert rows == [
        SourceRow(1, {"sku": "A", "name": "One", "price": 1.5, "tags": ["x"]}),
        SourceRow(3, {}, "A line must hold a JSON object."),
        SourceRow(4, {}, "Not valid JSON: Expecting property name enclosed in double quotes."),
        SourceRow(5, {}, "Unknown key(s): colour."),
    ]


def test_rows_are_read_one_at_a_time() -> None:
    # given
    consumed: list[int] = []

    def endless() -> Iterator[str]:
        yield "sku,name,price\n"
        number = 0
        while True:
            number += 1
            consumed.append(number)
            yield f"SKU-{number},Product {number},1\n"

    # when
    rows = read_rows(endless(), ImportFormat.CSV)
    first_two = [next(rows), next(rows)]

    # then
    assert [row.values["sku"] for row in first_two] == ["SKU-1", "SKU-2"]
    assert consumed == [1, 2]


def test_decoded_lines_drop_the_byte_order_mark_and_report_their_size() -> None:
    # given
    raw = io.BytesIO("\ufeffsku,name\nÄ,B\n".encode())
    sizes: list[int] = []

    # when
    lines = list(decode_lines(raw, sizes.append))

    # then
    assert lines == ["sku,name\n", "Ä,B\n"]
    assert sizes == [12, 5]


def test_a_line_that_is_not_utf8_rejects_the_file() -> None:
    # given
    raw = io.BytesIO(b"sku,name\n\xff,B\n")

    # when
    with pytest.raises(ProductError) as raised:
        list(decode_lines(raw))

    # then
    assert (raised.value.code, raised.value.message) == (
        "INVALID_IMPORT_FILE",
        "Line 2 is not UTF-8 text.",
    )
