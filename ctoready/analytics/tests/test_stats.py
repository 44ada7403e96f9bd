"""stats reliability: reversed items accumulate, and the range comes from the data."""

import json
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

BFI = Path(__file__).parent / "data" / "bfi-agreeableness-conscientiousness.csv"
AGREE = "agree=A1,A2,A3,A4,A5"
CONSCIENTIOUS = "conscientious=C1,C2,C3,C4,C5"
# psych::scoreItems(bfi.keys, bfi) prints these two-decimal alphas. psych fills missing
# cells with the item's median; listwise deletion moves the third decimal, so the check
# allows one unit in the second.
PUBLISHED = {"agree": 0.70, "conscientious": 0.72}


def reliability(*args: str) -> dict:
    out = StringIO()
    call_command("stats", "reliability", *args, stdout=out)
    return json.loads(out.getvalue())


def independent_alpha(columns: list[str], reversed_: set[str]) -> float:
    """Cronbach's alpha written out from its definition, listwise, on a 1..6 scale."""
    rows = BFI.read_text().splitlines()
    header = rows[0].split(",")
    data = np.array(
        [[float(c) if c else np.nan for c in row.split(",")] for row in rows[1:]],
    )[:, [header.index(c) for c in columns]]
    data = data[~np.isnan(data).any(axis=1)]
    for j, column in enumerate(columns):
        if column in reversed_:
            data[:, j] = 7 - data[:, j]
    k = len(columns)
    return k / (k - 1) * (1 - data.var(axis=0, ddof=1).sum() / data.sum(axis=1).var(ddof=1))


@pytest.mark.parametrize(
    "reverse",
    [
        ["--reverse", "A1", "--reverse", "C4", "--reverse", "C5"],
        ["--reverse", "A1,C4,C5"],
        ["--reverse", "A1", "C4", "--reverse", "C5"],
    ],
)
def test_repeated_reverse_flags_all_count_and_reproduce_published_alphas(reverse):
    report = reliability(str(BFI), "--scale", AGREE, "--scale", CONSCIENTIOUS, *reverse)
    scales = report["scales"]
    assert report["range"] == [1, 6]
    for name, published in PUBLISHED.items():
        assert scales[name]["alpha"] == pytest.approx(published, abs=0.01)
    assert scales["agree"]["alpha"] == pytest.approx(
        independent_alpha(["A1", "A2", "A3", "A4", "A5"], {"A1"}), abs=1e-9
    )
    assert scales["conscientious"]["alpha"] == pytest.approx(
        independent_alpha(["C1", "C2", "C3", "C4", "C5"], {"C4", "C5"}), abs=1e-9
    )


def test_only_the_last_reverse_would_give_a_much_lower_alpha():
    # Guards the test above: forgetting C4 changes the answer far beyond its tolerance.
    report = reliability(str(BFI), "--scale", CONSCIENTIOUS, "--reverse", "C5")
    assert report["scales"]["conscientious"]["alpha"] < PUBLISHED["conscientious"] - 0.1


def test_alpha_needs_no_range_on_any_scale(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("a,b,c\n0,10,3\n4,7,9\n9,1,10\n5,5,6\n")
    report = reliability(str(path), "--scale", "s=a,b,c")
    assert report["range"] == [0, 10]
    assert report["scales"]["s"]["n"] == 4


def test_a_reversed_column_on_a_one_to_seven_scale_needs_no_range(tmp_path):
    path = tmp_path / "seven.csv"
    path.write_text("a,b,c\n1,2,7\n7,6,1\n4,4,3\n2,1,6\n5,6,2\n")
    plain = reliability(str(path), "--scale", "s=a,b,c")
    flipped = reliability(str(path), "--scale", "s=a,b,c", "--reverse", "c")
    assert plain["scales"]["s"]["alpha"] < 0.5
    assert flipped["range"] == [1, 7]
    assert flipped["scales"]["s"]["alpha"] > 0.9


def test_given_range_is_checked_against_the_data():
    with pytest.raises(CommandError, match=r"column 'A\d', row \d+: 6 is outside 1\.\.5"):
        reliability(str(BFI), "--scale", AGREE, "--min", "1", "--max", "5")


def test_a_given_bound_is_kept_and_the_other_comes_from_the_data(tmp_path):
    path = tmp_path / "narrow.csv"
    path.write_text("a,b,c\n2,3,2\n3,2,3\n2,3,3\n3,3,2\n")
    report = reliability(str(path), "--scale", "s=a,b,c", "--reverse", "b", "--max", "5")
    assert report["range"] == [2, 5]


def test_a_given_range_must_be_a_range(tmp_path):
    with pytest.raises(CommandError, match=r"min \(5\) must be below max \(1\)"):
        reliability(str(BFI), "--scale", AGREE, "--min", "5", "--max", "1")
