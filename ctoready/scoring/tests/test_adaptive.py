"""Adaptive item selection, content balancing, exposure control and stopping."""

import numpy as np
import pytest

from ctoready.scoring import (
    LikertSpec,
    ModelError,
    ResponseError,
    build_bank,
    eap,
    item_information,
    next_item,
    should_stop,
    start_state,
    update_state,
)
from ctoready.scoring.irt import ItemParameters


def _bank(per_scale: int = 6, scales: tuple[str, ...] = ("a", "b")):
    items = []
    for s in scales:
        for j in range(per_scale):
            b = -1.5 + 3.0 * j / max(per_scale - 1, 1)
            cats = 5 if j % 2 == 0 else 2
            thresholds = tuple(b + np.linspace(-0.6, 0.6, cats - 1)) if cats > 2 else (b,)
            items.append(LikertSpec(f"{s}{j}", s, j == 2, cats, 0.8 + 0.2 * j, thresholds))
    return build_bank(items)


def test_first_item_is_the_most_informative_at_the_prior_mean_without_randomisation():
    bank = _bank()
    chosen = next_item(bank, start_state(bank), np.random.default_rng(0), randomesque=1)
    scale_a = [it for it in bank.items if it.scale == "a"]
    info = [item_information(0.0, it.a, it.thresholds)[0] for it in scale_a]
    assert chosen == scale_a[int(np.argmax(info))].id


def test_update_state_matches_eap_on_the_keyed_answers():
    bank = _bank()
    state = start_state(bank)
    state = update_state(bank, state, "a2", 5)  # reverse-keyed, 5 categories → keyed 0
    state = update_state(bank, state, "a1", 2)  # 2 categories → keyed 1
    state = update_state(bank, state, "b0", 1)
    items = {it.id: ItemParameters(it.a, it.thresholds) for it in bank.items}
    ref = eap([[0, 1]], [items["a2"], items["a1"]], n_nodes=41)
    assert state.theta["a"] == pytest.approx(ref.theta[0], abs=1e-12)
    assert state.se["a"] == pytest.approx(ref.se[0], abs=1e-12)
    assert state.theta["b"] < 0


def test_content_balancing_alternates_scales():
    bank = _bank()
    rng = np.random.default_rng(1)
    state = start_state(bank)
    scales = []
    for _ in range(6):
        item = next_item(bank, state, rng, se_target=0.1, max_items=20)
        scales.append(bank.items[bank.index[item]].scale)
        state = update_state(bank, state, item, 2)
    assert scales == ["a", "b", "a", "b", "a", "b"]


def test_randomesque_exposure_control_spreads_first_items_and_is_seeded():
    bank = _bank(per_scale=12)
    firsts = {
        next_item(bank, start_state(bank), np.random.default_rng(seed), randomesque=4)
        for seed in range(40)
    }
    assert len(firsts) == 4
    again = [
        next_item(bank, start_state(bank), np.random.default_rng(9), randomesque=4)
        for _ in range(3)
    ]
    assert len(set(again)) == 1


def test_stops_at_max_items():
    bank = _bank()
    state = start_state(bank)
    rng = np.random.default_rng(2)
    for _ in range(3):
        state = update_state(
            bank, state, next_item(bank, state, rng, se_target=0.01, max_items=3), 1
        )
    assert should_stop(bank, state, 0.01, 3).reason == "max_items"
    assert next_item(bank, state, rng, se_target=0.01, max_items=3) is None


def test_stops_when_every_scale_reaches_its_se_target_or_runs_out():
    bank = _bank(per_scale=3)
    state = start_state(bank)
    rng = np.random.default_rng(3)
    targets = {"a": 0.99, "b": 0.2}
    while (item := next_item(bank, state, rng, se_target=targets, max_items=99)) is not None:
        assert bank.items[bank.index[item]].scale == "b" or state.se["a"] > 0.99
        state = update_state(bank, state, item, 2)
    decision = should_stop(bank, state, targets, 99)
    assert decision.stop and decision.reason == "se_target_reached"
    assert not should_stop(bank, start_state(bank), 0.3, 99).stop


def test_bad_answers_and_banks_are_refused():
    bank = _bank()
    state = update_state(bank, start_state(bank), "a0", 3)
    with pytest.raises(ResponseError, match="unknown item 'zz'"):
        update_state(bank, state, "zz", 1)
    with pytest.raises(ResponseError, match="'a0' was already answered"):
        update_state(bank, state, "a0", 1)
    with pytest.raises(ResponseError, match=r"item 'a1': 3 is not a response 1\.\.2"):
        update_state(bank, state, "a1", 3)
    with pytest.raises(ModelError, match="empty"):
        build_bank([])
    with pytest.raises(ModelError, match="item 'x': adaptive testing needs"):
        build_bank([LikertSpec("x", "a", False, 5)])
    with pytest.raises(ModelError, match="duplicate"):
        build_bank([LikertSpec("x", "a", False, 2, 1.0, (0.0,))] * 2)


def test_next_page_gives_one_item_per_open_scale_fewest_used_first():
    from ctoready.scoring import next_page

    bank = _bank(scales=("a", "b", "c"))
    state = update_state(bank, start_state(bank), "a0", 3)
    page = next_page(bank, state, np.random.default_rng(1), size=2, randomesque=1)
    assert len(page) == 2
    assert [bank.items[bank.index[i]].scale for i in page] == ["b", "c"]
    assert "a0" not in page


def test_next_page_skips_unavailable_items_and_respects_the_budget():
    from ctoready.scoring import next_page

    bank = _bank(per_scale=2, scales=("a", "b"))
    page = next_page(
        bank,
        start_state(bank),
        np.random.default_rng(2),
        size=5,
        max_items=3,
        unavailable=frozenset({"a0", "a1", "zz-unknown"}),
    )
    # Scale a has nothing left; two of the three allowed items are already used.
    assert len(page) == 1
    assert bank.items[bank.index[page[0]]].scale == "b"


def test_next_page_is_empty_when_every_scale_reached_its_target():
    from ctoready.scoring import next_page

    bank = _bank()
    assert next_page(bank, start_state(bank), np.random.default_rng(3), size=4, se_target=1.5) == ()


def test_next_page_refuses_an_empty_page():
    from ctoready.scoring import next_page

    bank = _bank()
    with pytest.raises(ModelError, match="at least one item"):
        next_page(bank, start_state(bank), np.random.default_rng(4), size=0)
