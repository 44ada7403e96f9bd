"""CSV reports for the CLI: shapes, values and error messages."""

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from ctoready.scoring import (
    CalibrationError,
    DataError,
    calibration_report,
    cronbach_alpha,
    mcdonald_omega,
    read_numeric_columns,
    reliability_report,
)

from .test_reliability import OMEGA_DATA

DATA = Path(__file__).parent / "data"


def _write(path: Path, header, rows) -> Path:
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def likert_csv(tmp_path):
    rows = [[str(int(v)) for v in row] + ["x"] for row in OMEGA_DATA]
    rows[3][1] = ""
    return _write(tmp_path / "answers.csv", ["q1", "q2", "q3", "q4", "q5", "note"], rows)


def test_reliability_report_has_exactly_the_documented_shape(likert_csv):
    report = reliability_report(
        likert_csv, {"all": ["q1", "q2", "q3", "q4", "q5"]}, [], 1, 5, "pairwise"
    )
    assert list(report) == ["range", "scales"]
    assert report["range"] == [1, 5]
    scale = report["scales"]["all"]
    assert set(scale) == {
        "n",
        "items",
        "alpha",
        "alpha_ci95",
        "omega_total",
        "item_total_r",
        "alpha_if_dropped",
    }
    assert (scale["n"], scale["items"]) == (40, 5)
    assert list(scale["item_total_r"]) == ["q1", "q2", "q3", "q4", "q5"]
    assert len(scale["alpha_ci95"]) == 2
    json.dumps(report)  # plain JSON types only


def test_reliability_report_values_and_reverse_keying(likert_csv):
    report = reliability_report(likert_csv, {"s": ["q1", "q2", "q3"]}, ["q2"], 1, 5, "listwise")
    data = OMEGA_DATA[:, :3].copy()
    data = np.delete(data, 3, axis=0)  # row with the empty q2 cell dropped listwise
    data[:, 1] = 6 - data[:, 1]
    assert report["scales"]["s"]["alpha"] == pytest.approx(cronbach_alpha(data).alpha)
    assert report["scales"]["s"]["omega_total"] == pytest.approx(mcdonald_omega(data).omega_total)
    assert report["scales"]["s"]["n"] == 39


def test_rows_may_be_given_as_sequences_or_mappings():
    rows = [["a", "b", "c"]] + [[str(v) for v in r] for r in OMEGA_DATA[:, :3].astype(int)]
    dict_rows = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    one = reliability_report(rows, {"s": ["a", "b", "c"]}, [], 1, 5)
    two = reliability_report(dict_rows, {"s": ["a", "b", "c"]}, [], 1, 5)
    assert one == two
    numbers = [["a", "b"], [1, 2.0], [None, 3]]
    assert np.isnan(read_numeric_columns(numbers)[1][1, 0])


@pytest.mark.parametrize(
    ("rows", "kwargs", "message"),
    [
        ([["q1", "q2"], ["1", "abc"]], {}, r"column 'q2', row 2: 'abc' is not a number"),
        (
            [["q1", "q2"], ["1", "2"], ["1", "nan"]],
            {},
            r"column 'q2', row 3: 'nan' is not a finite number",
        ),
        ([["q1", "q2"], ["1", True]], {}, "True is not a number"),
        ([["q1", "q2"], ["1", "2", "3"]], {}, "row 2 has 3 cells; the header has 2"),
        ([["q1", "q1"], ["1", "2"]], {}, "column 'q1' appears twice"),
        ([], {}, "empty"),
        ([["q1", "q2"], ["1", "2"]], {"columns": ["q9"]}, "unknown column 'q9'"),
    ],
)
def test_bad_csv_cells_are_named(rows, kwargs, message):
    with pytest.raises(DataError, match=message):
        read_numeric_columns(rows, **kwargs)


def test_reliability_report_errors_name_the_problem(likert_csv):
    scales = {"s": ["q1", "q2", "q3"]}
    with pytest.raises(DataError, match=r"column 'q1', row 2: 7 is outside 1..5"):
        reliability_report([["q1", "q2", "q3"], ["7", "1", "1"]], scales, [], 1, 5)
    with pytest.raises(DataError, match="min"):
        reliability_report(likert_csv, scales, [], 5, 1)
    with pytest.raises(DataError, match="reverse-keyed column 'q5' is in no scale"):
        reliability_report(likert_csv, scales, ["q5"], 1, 5)
    with pytest.raises(DataError, match="'note', row 2: 'x' is not a number"):
        reliability_report(likert_csv, {"s": ["q1", "note", "q2"]}, [], 1, 5)


def test_calibration_report_shape_and_eap_scores():
    report = calibration_report(DATA / "grm_1000x5.csv", "grm", scores="eap")
    assert report["model"] == "grm" and report["converged"]
    assert list(report["items"]) == ["q1", "q2", "q3", "q4", "q5"]
    q1 = report["items"]["q1"]
    assert len(q1["b"]) == len(q1["d"]) == 4
    assert q1["b"][0] == pytest.approx(-q1["d"][0] / q1["a"])
    assert len(report["scores"]) == 1000
    json.dumps(report)


def test_calibration_report_maps_observed_values_to_consecutive_categories(tmp_path):
    _, raw = read_numeric_columns(DATA / "grm_1000x5.csv")
    shifted = np.where(raw >= 3, raw + 1, raw)  # values 1, 2, 4, 5, 6: a gap at 3
    path = _write(
        tmp_path / "gap.csv", ["q1", "q2", "q3", "q4", "q5"], shifted.astype(int).tolist()
    )
    with_gap = calibration_report(path, "grm", items=["q1", "q2", "q3", "q4", "q5"])
    plain = calibration_report(DATA / "grm_1000x5.csv", "grm")
    assert with_gap["items"]["q3"]["a"] == pytest.approx(plain["items"]["q3"]["a"])


def test_calibration_report_map_scores_one_per_row_including_empty_rows(tmp_path):
    _, raw = read_numeric_columns(DATA / "twopl_1000x6.csv")
    rows = [[str(int(v)) for v in r] for r in raw] + [[""] * 6]
    path = _write(tmp_path / "bin.csv", [f"i{j}" for j in range(1, 7)], rows)
    report = calibration_report(path, "2pl", scores="map")
    assert len(report["scores"]) == 1001
    assert report["scores"][-1] == {"theta": pytest.approx(0.0, abs=1e-9), "se": pytest.approx(1.0)}
    assert "scores" not in calibration_report(path, "2pl")


def test_calibration_report_errors(tmp_path):
    with pytest.raises(DataError, match="model must be"):
        calibration_report(DATA / "grm_1000x5.csv", "rasch")
    with pytest.raises(DataError, match="scores must be"):
        calibration_report(DATA / "grm_1000x5.csv", scores="mle")
    with pytest.raises(CalibrationError, match="column 'q1' has 5 distinct values; 2PL needs 2"):
        calibration_report(DATA / "grm_1000x5.csv", "2pl")
    path = _write(tmp_path / "frac.csv", ["a", "b"], [["1", "2.5"]])
    with pytest.raises(DataError, match=r"column 'b', row 2: 2.5 is not a whole number"):
        calibration_report(path)


def test_negative_discrimination_blocks_scoring(tmp_path):
    _, raw = read_numeric_columns(DATA / "twopl_1000x6.csv")
    raw[:, 2] = 1 - raw[:, 2]
    path = _write(tmp_path / "flip.csv", [f"i{j}" for j in range(1, 7)], raw.astype(int).tolist())
    assert calibration_report(path, "2pl")["items"]["i3"]["a"] < 0
    with pytest.raises(CalibrationError, match="item 'i3' has a negative discrimination"):
        calibration_report(path, "2pl", scores="eap")


def test_eap_and_map_scores_are_close_for_long_enough_patterns():
    report_eap = calibration_report(DATA / "grm_1000x5.csv", scores="eap")
    report_map = calibration_report(DATA / "grm_1000x5.csv", scores="map")
    e = np.array([s["theta"] for s in report_eap["scores"]])
    m = np.array([s["theta"] for s in report_map["scores"]])
    assert np.corrcoef(e, m)[0, 1] > 0.99
