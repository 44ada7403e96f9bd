"""CSV that spreadsheets cannot turn into formulas (CSV or "formula" injection).

A cell that starts with =, +, -, @, a tab, a carriage return or NUL is prefixed with a
single quote, which spreadsheet programs show as text; OWASP's recommended defence.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r", "\0")


def safe_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    text = str(value).replace("\0", "")
    if str(value).startswith(DANGEROUS_FIRST):
        return "'" + text
    return text


def write_csv(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> str:
    """The whole table as CSV text, every header and cell made safe.

    Numbers stay numbers: a negative number is written as itself (it is data, not text a
    spreadsheet would evaluate as a formula), so only text cells are quoted.
    """
    out = io.StringIO(newline="")
    writer = csv.writer(out)  # RFC 4180: CRLF rows, fields with CR or LF quoted
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()
