"""The loader reports every problem at once, with file, line and field."""

from pathlib import Path

import pytest

from ctoready.instruments.loader import check_translation, load_file
from ctoready.instruments.tests.conftest import MINI


def messages(path) -> list[str]:
    return [str(problem) for problem in load_file(path).problems]


def test_mini_instrument_loads_with_every_item_type():
    loaded = load_file(MINI)
    assert loaded.ok, loaded.problems
    doc = loaded.instrument
    assert {item.type for item in doc.items} == {
        "likert",
        "scenario",
        "background",
        "preference",
        "self_check",
    }
    assert doc.item_by_id["st-3"].reverse is True
    assert doc.item_by_id["st-1"].irt_b == (-2.0, -1.0, 0.0, 1.0)
    assert doc.readiness_level(70).label == "Ready with support"


def test_unknown_scale_reference_names_line_and_field(write_yaml, mini_text):
    text = mini_text.replace(
        "id: st-2, type: likert, scale: strategy", "id: st-2, type: likert, scale: stratgy"
    )
    found = messages(write_yaml(text))
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "scale: stratgy" in row)
    assert f"instrument.yaml:{line}: items[2].scale: unknown scale 'stratgy'" in found


def test_duplicate_item_id_is_reported(write_yaml, mini_text):
    text = mini_text.replace("{id: le-2,", "{id: le-1,")
    assert any("duplicate item id 'le-1'" in m for m in messages(write_yaml(text)))


def test_missing_key_is_reported(write_yaml, mini_text):
    text = mini_text.replace("description: A small instrument used by the test suite.\n", "")
    assert "instrument.yaml:2: description: missing" in messages(write_yaml(text))


def test_wrong_type_is_reported(write_yaml, mini_text):
    text = mini_text.replace("estimated_minutes: 3", "estimated_minutes: three")
    found = messages(write_yaml(text))
    assert any("estimated_minutes: must be a whole number, not text" in m for m in found)


def test_reverse_keying_on_a_non_likert_item_is_refused(write_yaml, mini_text):
    text = mini_text.replace("  - id: pref-role\n", "  - id: pref-role\n    reverse: true\n")
    found = messages(write_yaml(text))
    assert any("items[11].reverse: reverse keying is only for Likert items" in m for m in found)


def test_option_keys_out_of_range_are_refused(write_yaml, mini_text):
    text = mini_text.replace("effectiveness: 5,", "effectiveness: 9,")
    found = messages(write_yaml(text))
    assert any("effectiveness: the key must be from 1 to 5" in m for m in found)


def test_every_problem_is_reported_at_once(write_yaml, mini_text):
    text = (
        mini_text.replace("scale: strategy, response_scale", "scale: nope, response_scale", 1)
        .replace("{id: le-2,", "{id: le-1,")
        .replace("effectiveness: 5,", "effectiveness: 0,")
        .replace("title: Mini readiness check\n", "")
    )
    assert len(messages(write_yaml(text))) >= 4


def test_unknown_key_is_an_error(write_yaml, mini_text):
    text = mini_text.replace("estimated_minutes: 3", "estimated_minutes: 3\nestimated_mins: 3")
    assert any("estimated_mins: unknown key" in m for m in messages(write_yaml(text)))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"format: 1\nid: [unclosed\n", "not valid YAML"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not UTF-8 text"),
        (b"just a sentence", "must be a mapping"),
        (b"", "the file is empty"),
        (b"base: &a {x: 1}\nother: *a\n", "anchors and aliases are not allowed"),
        (b"x: !!python/object:os.system {}\n", "not valid YAML"),
    ],
)
def test_malformed_files_get_a_clear_message(tmp_path, content, expected):
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    found = messages(path)
    assert found and any(expected in m for m in found), found


def test_a_huge_file_is_refused_before_parsing(tmp_path):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.write(b"items:\n")
        handle.write(b"  - {id: x, type: likert}\n" * (50 * 1024 * 1024 // 26))
    found = messages(path)
    assert len(found) == 1 and "too large" in found[0] and "limit is 5 MB" in found[0]


def test_a_translation_may_change_only_texts(mini_text):
    import yaml

    base = yaml.safe_load(mini_text)
    same = yaml.safe_load(
        mini_text.replace("Never}", "Jamais}").replace("locale: en", "locale: fr")
    )
    assert check_translation(base, same, "fr.yaml") == []
    changed = yaml.safe_load(mini_text.replace("effectiveness: 5,", "effectiveness: 4,"))
    problems = check_translation(base, changed, "fr.yaml")
    assert problems and "effectiveness" in problems[0].field


def test_a_translation_may_change_its_stems(mini_text):
    import yaml

    base = yaml.safe_load(
        mini_text.replace(
            "    no_opportunity:", "    stem: How often did you…\n    no_opportunity:"
        )
    )
    french = yaml.safe_load(
        mini_text.replace(
            "    no_opportunity:", "    stem: À quelle fréquence avez-vous…\n    no_opportunity:"
        )
    )
    assert check_translation(base, french, "fr.yaml") == []


def test_pages_default_to_the_core_and_may_form_a_deep_dive():
    from ctoready.instruments.loader import load_bytes
    from ctoready.testing import mini_with_deep_dive

    assert {page.part for page in load_file(MINI).instrument.pages} == {"core"}
    doc = load_bytes(mini_with_deep_dive().encode(), "deep.yaml").instrument
    assert [page.part for page in doc.pages][-3:] == ["core", "deep", "deep"]
    assert doc.part_of_item["sjt-costs"] == "deep" and doc.has_deep


def test_unknown_part_is_reported(write_yaml, mini_text):
    text = mini_text.replace("{id: s1, title:", "{id: s1, part: extra, title:")
    assert any("part: must be one of core, deep" in m for m in messages(write_yaml(text)))


def test_core_pages_come_before_the_deep_dive(write_yaml, mini_text):
    text = mini_text.replace("{id: s1, title:", "{id: s1, part: deep, title:")
    assert any(
        "core pages come before every deep-dive page" in m for m in messages(write_yaml(text))
    )


def test_a_deep_dive_page_holds_no_scored_likert_items(write_yaml, mini_text):
    text = mini_text.replace(
        "{id: prefs, title: What energises you,",
        "{id: prefs, part: deep, title: What energises you,",
    )
    text = text.replace("{id: p2, title:", "{id: p2, part: deep, title:")
    text = text.replace("{id: s1, title:", "{id: s1, part: deep, title:")
    found = messages(write_yaml(text))
    assert (
        sum("a deep-dive page holds only scenarios and self-check items" in m for m in found) == 2
    )


def test_a_list_where_a_condition_option_belongs_is_reported_not_a_crash(tmp_path):
    shipped = Path(__file__).resolve().parents[1] / "content" / "cto-readiness.yaml"
    good = "{item: bg-leadership-years, options: [under-2, 2-to-5, 5-to-10, over-10]}"
    text = shipped.read_text()
    assert good in text
    path = tmp_path / "instrument.yaml"
    path.write_text(text.replace(good, "{item: bg-leadership-years, options: [[under-2], 2-to-5]}"))
    found = messages(path)
    assert any("bg-leadership-years has no option ['under-2']" in m for m in found), found
