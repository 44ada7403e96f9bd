"""The responses of a version as arrays: every stored answer, as the model gives it."""

import numpy as np
import pytest

from ctoready.analytics.data import load_version_data
from ctoready.analytics.tests.conftest import demo
from ctoready.assessments.models import Answer

pytestmark = pytest.mark.django_db


def test_every_answer_is_read_as_the_model_decodes_it(version):
    demo(40, seed=5)
    data = load_version_data([version], include_synthetic=True)
    stored: dict[int, dict] = {}
    for answer in Answer.objects.filter(attempt_id__in=data.attempt_ids):
        stored.setdefault(answer.attempt_id, {})[answer.item_id] = answer.value
    assert data.answers == [stored.get(pk, {}) for pk in data.attempt_ids]
    for i, given in enumerate(data.answers):
        for j, item in enumerate(data.items):
            value = given.get(item.id)
            if isinstance(value, int) and not isinstance(value, bool):
                assert data.values[i, j] == value
            else:
                assert np.isnan(data.values[i, j])
            assert data.no_opportunity[i, j] == (value == "na")
    assert data.no_opportunity.any()  # the demo answers "no opportunity yet" at times
    kinds = {type(value) for given in data.answers for value in given.values()}
    assert dict in kinds and int in kinds and str in kinds


def test_each_attempts_scenario_answer_is_its_own(version):
    """Two attempts that chose the same pair hold two objects: changing one leaves the other."""
    demo(30, seed=6)
    data = load_version_data([version], include_synthetic=True)
    seen: dict[tuple, tuple[int, str]] = {}
    for i, given in enumerate(data.answers):
        for ref, value in given.items():
            if isinstance(value, dict):
                key = (ref, *sorted(value.items()))
                if key in seen and seen[key][0] != i:
                    k, other = seen[key]
                    data.answers[i][ref]["best"] = "changed"
                    assert data.answers[k][other]["best"] != "changed"
                    return
                seen[key] = (i, ref)
    pytest.fail("no two attempts chose the same pair")
