"""How many items adaptive mode saves at the precision of the full form, by simulation.

Simulated people (θ ~ N(0, 1) per scale) answer every item under the version's GRM
parameters; the full form's precision per scale is the mean posterior SD of their EAP
scores. The same people then take the adaptive form (the engine's own item selection,
no randomesque draw) until every scale reaches that SE or runs out of items.
"""

from typing import Any

import numpy as np

from ctoready import scoring
from ctoready.instruments.document import Instrument
from ctoready.instruments.scoring_bridge import scoring_model


def adaptive_savings(doc: Instrument, *, people: int, seed: int) -> dict[str, Any]:
    specs = [s for s in scoring_model(doc).likert if s.a is not None and s.thresholds]
    if not specs:
        return {"items_full": 0, "note": "no item has IRT parameters"}
    bank = scoring.build_bank(specs)
    rng = np.random.default_rng(seed)
    raw = np.empty((people, len(specs)), dtype=int)
    targets: dict[str, float] = {}
    for scale in bank.scales:
        columns = [j for j, s in enumerate(specs) if s.scale == scale]
        params = [
            scoring.ItemParameters(a=specs[j].a or 1.0, thresholds=specs[j].thresholds or (0.0,))
            for j in columns
        ]
        keyed = scoring.simulate_responses(params, rng.standard_normal(people), rng)
        targets[scale] = float(np.mean(scoring.eap(keyed, params).se))
        for position, j in enumerate(columns):
            k = keyed[:, position].astype(int)
            raw[:, j] = specs[j].categories - k if specs[j].reverse else k + 1
    used = []
    for i in range(people):
        state = scoring.start_state(bank)
        while (item := scoring.next_item(bank, state, rng, targets, len(specs), 1)) is not None:
            state = scoring.update_state(bank, state, item, int(raw[i, bank.index[item]]))
        used.append(len(state.answers))
    mean_used = float(np.mean(used))
    return {
        "items_full": len(specs),
        "items_adaptive_mean": round(mean_used, 2),
        "items_saved": round(len(specs) - mean_used, 2),
        "saved_percent": round(100.0 * (1.0 - mean_used / len(specs)), 1),
        "se_target": {scale: round(se, 4) for scale, se in targets.items()},
        "people": people,
    }
