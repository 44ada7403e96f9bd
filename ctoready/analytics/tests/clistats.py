"""What `ctoready stats reliability` says of one scale of an exported CSV: the figure the
operator pages and the manual must reproduce exactly."""

import json
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command


def cli_reliability(path: Path, scale_id: str, items: list[Any]) -> dict[str, Any]:
    out = StringIO()
    call_command(
        "stats",
        "reliability",
        str(path),
        "--scale",
        f"{scale_id}=" + ",".join(i.id for i in items),
        *(arg for i in items if i.reverse for arg in ("--reverse", i.id)),
        "--min",
        "1",
        "--max",
        "5",
        stdout=out,
    )
    result: dict[str, Any] = json.loads(out.getvalue())["scales"][scale_id]
    return result
