"""ctoready simulate FILE.yaml | --instrument ID[@VERSION] — expected reliability and time.

A file is checked and simulated without any database, so a draft can be tried before it is
imported; ``--instrument`` reads a stored version (and adds each stored language's parts,
modelled beside measured)."""

import json
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ctoready import scoring
from ctoready.analytics.adaptive_savings import adaptive_savings
from ctoready.assessments import duration
from ctoready.instruments import timing
from ctoready.instruments.document import PARTS, Instrument
from ctoready.instruments.loader import load_file
from ctoready.instruments.models import InstrumentVersion
from ctoready.instruments.services import document_for


class Command(BaseCommand):
    help = "Simulate respondents under an instrument's IRT parameters, before anyone takes it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", metavar="FILE.yaml", help="An instrument file.")
        parser.add_argument("--instrument", metavar="ID[@VERSION]", help="A stored version.")
        parser.add_argument("--locale", default="en")
        parser.add_argument("--n", type=int, required=True, help="Simulated respondents.")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        if not 10 <= options["n"] <= 1_000_000:
            raise CommandError("--n must be between 10 and 1,000,000", returncode=1)
        if (options["file"] is None) == (options["instrument"] is None):
            raise CommandError("name an instrument FILE.yaml or --instrument ID", returncode=1)
        found: InstrumentVersion | None = None
        if options["file"]:
            doc, content = self._from_file(options["file"])
        else:
            found = self._stored(options["instrument"], options["locale"])
            doc, content = document_for(found), found.content
        rng = np.random.default_rng(options["seed"])
        scales: dict[str, Any] = {}
        for scale in doc.scales:
            items = [
                scoring.ItemParameters(a=i.irt_a, thresholds=i.irt_b, id=i.id)
                for i in doc.likert_items
                if i.scale == scale.id and i.irt_a is not None and i.irt_b is not None
            ]
            if not items:
                scales[scale.id] = {"items": 0, "reliability": None}
                continue
            estimate = scoring.estimate_reliability(items, rng, n=options["n"])
            scales[scale.id] = {
                "items": len(items),
                "reliability": round(estimate.empirical, 4),
                "mean_se": round(estimate.mean_se, 4),
            }
        core = timing.estimate(
            timing.part_document(content, "core"), people=options["n"], seed=options["seed"]
        )
        result = {
            "instrument": found.label if found else doc.label(),
            "n": options["n"],
            "seed": options["seed"],
            "scales": scales,
            # The core, which everyone takes; "languages" has each stored language's parts,
            # the model's figures beside the measured ones.
            "minutes": {"median": round(core.median_minutes, 2), "p90": round(core.p90_minutes, 2)},
            "target": {"median": duration.TARGET_MEDIAN, "p90": duration.TARGET_P90},
            "languages": {
                v.locale: _times(v, options["n"], options["seed"]) for v in versions_of(found)
            }
            if found
            else {},
        }
        result["adaptive"] = adaptive_savings(
            doc, people=min(options["n"], 500), seed=options["seed"]
        )
        self.stdout.write(json.dumps(result, indent=2))

    def _from_file(self, path: str) -> tuple[Instrument, dict[str, Any]]:
        try:
            loaded = load_file(path)
        except OSError as error:
            raise CommandError(str(error), returncode=1) from None
        for problem in loaded.problems:
            self.stderr.write(str(problem))
        if loaded.problems or loaded.instrument is None:
            raise CommandError(f"{path} is not a valid instrument file", returncode=1)
        return loaded.instrument, loaded.data

    def _stored(self, ref: str, locale: str) -> InstrumentVersion:
        slug, _, version = ref.partition("@")
        versions = InstrumentVersion.objects.filter(instrument__slug=slug, locale=locale)
        if version:
            versions = versions.filter(version=version)
        found = max(versions, key=lambda v: v.semver, default=None)
        if found is None:
            raise CommandError(f"no stored instrument {ref}", returncode=1)
        return found


def versions_of(found: InstrumentVersion) -> list[InstrumentVersion]:
    return list(
        InstrumentVersion.objects.filter(
            instrument=found.instrument, version=found.version
        ).order_by("locale")
    )


def _times(version: InstrumentVersion, n: int, seed: int) -> dict[str, Any]:
    parts: dict[str, Any] = {}
    for part in PARTS:
        document = timing.part_document(version.content, part)
        if not document["pages"]:
            continue
        model = timing.estimate(document, people=n, seed=seed)
        measured = duration.measured_figures(version, part)
        parts[part] = {
            "model": {"median": round(model.median_minutes, 2), "p90": round(model.p90_minutes, 2)},
            "measured": {
                "median": round(measured.median, 2),
                "p90": round(measured.p90, 2),
                "attempts": measured.n,
            }
            if measured
            else None,
        }
    core = parts["core"]["model"]
    parts["core"]["meets_target"] = (
        core["median"] <= duration.TARGET_MEDIAN and core["p90"] <= duration.TARGET_P90
    )
    return parts
