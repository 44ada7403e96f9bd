"""Every exported CSV cell and header that a spreadsheet could run is neutralised."""

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from ctoready.lib.csvsafe import DANGEROUS_FIRST, safe_cell, write_csv


def read_back(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@given(st.lists(st.lists(st.text(), min_size=1, max_size=4), min_size=1, max_size=5))
def test_no_text_cell_or_header_starts_a_formula(table):
    header, rows = table[0], table[1:]
    for row in read_back(write_csv(header, rows)):
        for cell in row:
            assert not cell.startswith(DANGEROUS_FIRST), cell


@given(st.text())
def test_safe_text_keeps_its_content(text):
    cell = safe_cell(text)
    kept = text.replace("\0", "")
    assert cell in {kept, "'" + kept}
    assert (cell == "'" + kept) == text.startswith(DANGEROUS_FIRST)


def test_known_payloads():
    assert safe_cell('=HYPERLINK("http://evil")') == '\'=HYPERLINK("http://evil")'
    assert safe_cell("+1") == "'+1"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("\t=1") == "'\t=1"
    assert safe_cell("plain") == "plain"


def test_numbers_stay_numbers():
    assert safe_cell(-3) == "-3"
    assert safe_cell(2.5) == "2.5"
    assert safe_cell(None) == ""
    assert safe_cell(True) == "true"
