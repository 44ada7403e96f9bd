"""The anonymity rule, checked over random rater sets: by counts, by linear algebra (no
combination of shown aggregates isolates one or two people), and in the rendered section."""

import itertools
import random
import re

import numpy as np
import pytest
from django.template.loader import render_to_string
from hypothesis import event, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from ctoready.instruments.loader import load_file
from ctoready.raters import aggregate
from ctoready.raters.anonymity import (
    ALL,
    CATEGORIES,
    MANAGER,
    MIN_GROUP,
    comments_visible,
    visible_groups,
)
from ctoready.raters.section import present
from ctoready.scoring import ScaleScore
from ctoready.testing import MINI

DOC = load_file(MINI).instrument
SELF = [
    ScaleScore(s.id, 60.0, 45.0, 75.0, 7.5, None, None, 4, 4, 0, True, "classical", "")
    for s in DOC.scales
]

counts_strategy = st.fixed_dictionaries({c: st.integers(0, 6) for c in CATEGORIES})


def shown_sets(
    counts: dict[str, int], manager_alone: bool
) -> tuple[list[frozenset[str]], set[str], dict[str, frozenset[str]]]:
    """The raters behind each shown aggregate, named c0, c1…, and the told managers."""
    members = {c: frozenset(f"{c}{i}" for i in range(n)) for c, n in counts.items()}
    visible = visible_groups(counts, manager_alone=manager_alone)
    by_group = {c: members[c] for c in visible.categories}
    if visible.all_raters:
        by_group[ALL] = frozenset().union(*members.values())
    consented = set(members[MANAGER]) if MANAGER in visible.categories and manager_alone else set()
    return list(by_group.values()), consented, by_group


def isolatable(sets: list[frozenset[str]], consented: set[str]) -> set[frozenset[str]]:
    """Sets of one or two people (not counting managers who agreed to be shown alone) some
    combination of the shown sums pins down: a non-zero vector in the span of the shown
    sets' indicators, zero everywhere else."""
    people = sorted(set().union(*sets) - consented) if sets else []
    if not people:
        return set()
    index = {p: i for i, p in enumerate(people)}
    span = np.array(
        [[1.0 if p in s else 0.0 for p in people] for s in sets if s - consented], ndmin=2
    )
    if span.size == 0:
        return set()
    rank = np.linalg.matrix_rank(span)
    found = set()
    for size in (1, 2):
        for group in itertools.combinations(people, size):
            outside = [index[p] for p in people if p not in group]
            if not outside:
                if rank > 0:
                    found.add(frozenset(group))
                continue
            # Vectors of the span that vanish outside ``group``: the null space of the
            # span's restriction to the other coordinates, mapped back.
            coeffs = _null_space(span[:, outside].T)
            if coeffs.shape[1] and np.abs(coeffs.T @ span).max() > 1e-9:
                found.add(frozenset(group))
    return found


def _null_space(matrix: np.ndarray) -> np.ndarray:
    _, s, vt = np.linalg.svd(matrix)
    rank = int((s > 1e-9).sum())
    return vt[rank:].T


@given(counts=counts_strategy, manager_alone=st.booleans())
def test_every_shown_category_has_three_raters_or_is_a_manager_who_was_told(counts, manager_alone):
    visible = visible_groups(counts, manager_alone=manager_alone)
    for category in visible.categories:
        assert counts[category] >= MIN_GROUP or (
            category == MANAGER and manager_alone and counts[category] >= 1
        )
    if visible.all_raters:
        assert sum(counts.values()) >= MIN_GROUP


@given(counts=counts_strategy, manager_alone=st.booleans())
def test_no_two_shown_aggregates_differ_by_one_or_two_raters(counts, manager_alone):
    sets, _, _ = shown_sets(counts, manager_alone)
    for a, b in itertools.permutations(sets, 2):
        if a < b:
            assert len(b - a) >= MIN_GROUP
        assert a != b  # no aggregate is shown twice under two names


@given(counts=counts_strategy, manager_alone=st.booleans())
def test_no_combination_of_shown_aggregates_isolates_one_or_two_raters(counts, manager_alone):
    sets, consented, _ = shown_sets(counts, manager_alone)
    assert isolatable(sets, consented) == set()


def test_the_checker_finds_a_leak_when_all_raters_would_leave_one_person():
    peers, directs = frozenset({"p0", "p1", "p2"}), frozenset({"d0", "d1", "d2"})
    everyone = peers | directs | {"o0"}
    assert frozenset({"o0"}) in isolatable([peers, directs, everyone], set())
    others = frozenset({"o0", "o1", "o2"})
    assert isolatable([peers, directs, peers | directs | others], set()) == set()


@pytest.mark.parametrize(
    ("counts", "manager_alone", "groups"),
    [
        ({"peer": 3, "direct": 3, "other": 1}, False, ("peer", "direct")),
        ({"peer": 3, "direct": 3, "other": 3}, False, (ALL, "peer", "direct", "other")),
        ({"peer": 3, "other": 2}, False, ("peer",)),
        ({"peer": 3, "other": 3, "direct": 2}, False, ("peer", "other")),
        ({"peer": 3, "other": 3, "direct": 2, "manager": 1}, False, (ALL, "peer", "other")),
        ({"peer": 2, "direct": 2}, False, (ALL,)),
        ({"peer": 2}, False, ()),
        ({"manager": 1, "peer": 3}, True, ("manager", "peer")),
        ({"manager": 1, "peer": 3}, False, ("peer",)),
        ({"manager": 1, "peer": 3, "direct": 3}, True, (ALL, "manager", "peer", "direct")),
        ({"manager": 1, "peer": 3, "direct": 3}, False, ("peer", "direct")),
        ({"manager": 3, "peer": 4}, False, (ALL, "manager", "peer")),
        ({"peer": 5}, False, ("peer",)),
    ],
)
def test_examples_of_the_rule(counts, manager_alone, groups):
    full = {c: counts.get(c, 0) for c in CATEGORIES}
    assert visible_groups(full, manager_alone=manager_alone).groups == groups


def test_unknown_categories_and_negative_counts_are_refused():
    with pytest.raises(ValueError, match="unknown"):
        visible_groups({"friend": 3}, manager_alone=False)
    with pytest.raises(ValueError, match="negative"):
        visible_groups({"peer": -1}, manager_alone=False)


def test_comments_need_three_responses():
    assert not comments_visible(2)
    assert comments_visible(3)


# Random rater sets through the whole section: scoring, rules, and the rendered HTML.

# Mostly answered, so that groups reach the threshold; "na" and skipped items drop raters
# from single scales, which is where differencing could creep in.
answer = st.sampled_from([1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 3, 4, "na", None])
rating_strategy = st.builds(
    lambda category, values, told, keep: aggregate.Rating(
        category=category,
        answers={i.id: v for i, v in zip(DOC.likert_items, values, strict=True) if v is not None},
        manager_alone=told,
        comments={"keep": keep} if keep else {},
    ),
    st.sampled_from(CATEGORIES),
    st.lists(answer, min_size=len(DOC.likert_items), max_size=len(DOC.likert_items)),
    st.booleans(),
    st.sampled_from(["", "Clear writer."]),
)


def contributes(rating: aggregate.Rating, scale_id: str) -> bool:
    """Independently of the code under test: mini's scales need all three items answered."""
    items = [i for i in DOC.likert_items if i.scale == scale_id]
    return all(isinstance(rating.answers.get(i.id), int) for i in items)


@hsettings(max_examples=150, deadline=None)
@given(ratings=st.lists(rating_strategy, max_size=24), seed=st.integers(0, 1000))
def test_no_aggregate_in_the_section_comes_from_fewer_than_three_or_can_be_differenced(
    ratings, seed
):
    section = aggregate.build_section(DOC, SELF, ratings, random.Random(seed))
    managers = [r for r in ratings if r.category == MANAGER]
    told = bool(managers) and all(r.manager_alone for r in managers)
    for row in section["scales"]:
        members = {
            c: frozenset(
                i for i, r in enumerate(ratings) if r.category == c and contributes(r, row["scale"])
            )
            for c in CATEGORIES
        }
        members[ALL] = frozenset().union(*members.values())
        sets = []
        for group in row["groups"]:
            assert group["n"] == len(members[group["group"]])
            assert group["n"] >= MIN_GROUP or (group["group"] == MANAGER and told)
            sets.append(members[group["group"]])
        consented = set(members[MANAGER]) if told else set()
        assert isolatable(sets, consented) == set()
        for a, b in itertools.permutations(sets, 2):
            assert not (a < b and len(b - a) < MIN_GROUP)
    if len(ratings) < MIN_GROUP:
        assert section["comments"] is None
    event(f"groups shown on the first scale: {len(section['scales'][0]['groups'])}")


@hsettings(max_examples=40, deadline=None)
@given(ratings=st.lists(rating_strategy, min_size=3, max_size=14), seed=st.integers(0, 1000))
def test_no_rendered_aggregate_comes_from_fewer_than_three_raters(ratings, seed):
    section = aggregate.build_section(DOC, SELF, ratings, random.Random(seed))
    html = render_to_string("raters/_section_body.html", {"feedback": present(section, owner=True)})
    labels = "|".join(re.escape(label) for label in aggregate.GROUP_LABELS.values())
    for body in re.findall(r"<tbody>(.*?)</tbody>", html, re.S):
        cells = re.findall(rf"<td>({labels}) \((\d+)\)</td>", body)
        shown = [(label, int(n)) for label, n in cells]
        for label, n in shown:
            assert n >= MIN_GROUP or (label == "Manager" and section["manager_alone"])
        everyone = [n for label, n in shown if label == "All raters"]
        for label, n in shown:
            if everyone and label != "All raters":
                assert everyone[0] - n >= MIN_GROUP


def test_comments_are_shuffled_and_carry_no_group():
    ratings = [
        aggregate.Rating(category=c, answers={}, comments={"keep": f"text {i}", "change": "x"})
        for i, c in enumerate(["peer", "peer", "direct", "manager"])
    ]
    orders = {
        tuple(aggregate.build_section(DOC, SELF, ratings, random.Random(s))["comments"]["keep"])
        for s in range(20)
    }
    assert len(orders) > 1
    comments = aggregate.build_section(DOC, SELF, ratings, random.Random(0))["comments"]
    assert sorted(comments["keep"]) == ["text 0", "text 1", "text 2", "text 3"]
    assert all(isinstance(text, str) for text in comments["keep"])


def test_group_estimate_never_claims_less_error_than_one_rater_over_n():
    same = [aggregate.Estimate(50.0, 9.0)] * 3
    assert aggregate.group_estimate(same).se == pytest.approx(9.0 / 3**0.5)
    spread = [aggregate.Estimate(s, 5.0) for s in (20.0, 50.0, 80.0)]
    assert aggregate.group_estimate(spread).se == pytest.approx(30.0 / 3**0.5)
