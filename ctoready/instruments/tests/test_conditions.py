"""Readiness gates and path stages name background answers; mistakes are reported precisely."""

from ctoready.instruments.document import Condition
from ctoready.instruments.loader import load_file

GATED = (
    "  - {min: 65, label: Ready with support, text: Ready with support.,\n"
    "     requires: [{item: bg-years, options: [few, many], experience: leading people}]}\n"
)


def gate(mini_text: str, requires: str) -> str:
    old = next(row for row in mini_text.splitlines() if "min: 65" in row) + "\n"
    return mini_text.replace(
        old,
        GATED.replace(
            "[{item: bg-years, options: [few, many], experience: leading people}]", requires
        ),
    )


def problems(write_yaml, text):
    return [str(p) for p in load_file(write_yaml(text)).problems]


def test_a_level_gate_loads_as_conditions(write_yaml, mini_text):
    loaded = load_file(
        write_yaml(
            gate(mini_text, "[{item: bg-years, options: [few, many], experience: leading people}]")
        )
    )
    assert loaded.ok, loaded.problems
    level = loaded.instrument.readiness_level(70)
    assert level.requires == (Condition("bg-years", ("few", "many"), "leading people"),)
    assert level.requires[0].met({"bg-years": "many"})
    assert not level.requires[0].met({"bg-years": "none"}) and not level.requires[0].met({})


def test_gate_on_an_unknown_or_non_background_item_is_refused(write_yaml, mini_text):
    found = problems(write_yaml, gate(mini_text, "[{item: st-1, options: [a], experience: x}]"))
    assert any(
        "readiness_levels[2].requires[0].item: 'st-1' is not a background item" in m for m in found
    ), found


def test_gate_with_an_unknown_option_is_refused(write_yaml, mini_text):
    found = problems(
        write_yaml, gate(mini_text, "[{item: bg-years, options: [lots], experience: x}]")
    )
    assert any("requires[0].options[0]: bg-years has no option 'lots'" in m for m in found), found


def test_gate_must_name_its_experience(write_yaml, mini_text):
    found = problems(write_yaml, gate(mini_text, "[{item: bg-years, options: [few]}]"))
    assert any("requires[0].experience: must name the experience" in m for m in found), found


STAGE = "milestones: [Own a budget]}"


def test_path_stage_conditions_load_and_take_no_experience_text(write_yaml, mini_text):
    reached = ", reached_when: [{item: bg-years, options: [many]}]}"
    loaded = load_file(write_yaml(mini_text.replace(STAGE, STAGE[:-1] + reached)))
    assert loaded.ok, loaded.problems
    assert loaded.instrument.path_to_cto[1].reached_when == (Condition("bg-years", ("many",)),)
    wrong = ", reached_when: [{item: bg-years, options: [many], experience: x}]}"
    found = problems(write_yaml, mini_text.replace(STAGE, STAGE[:-1] + wrong))
    assert any("reached_when[0].experience: unknown key" in m for m in found), found
