"""ctoready simulate FILE.yaml | --instrument ID[@VERSION] — expected reliability and time.

A file is checked and simulated without any database, so a draft can be tried before it is
imported; ``--instrument`` reads a stored version."""

import json
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ctoready import scoring
from ctoready.instruments import timing
from ctoready.instruments.document import Instrument
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
        if options["file"]:
            doc, content, label = self._from_file(options["file"])
        else:
            doc, content, label = self._stored(options["instrument"], options["locale"])
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
        times = timing.estimate(content, people=options["n"], seed=options["seed"])
        result = {
            "instrument": label,
            "n": options["n"],
            "seed": options["seed"],
            "scales": scales,
            "minutes": {
                "median": round(times.median_minutes, 2),
                "p90": round(times.p90_minutes, 2),
            },
        }
        self.stdout.write(json.dumps(result, indent=2))

    def _from_file(self, path: str) -> tuple[Instrument, dict[str, Any], str]:
        try:
            loaded = load_file(path)
        except OSError as error:
            raise CommandError(str(error), returncode=1) from None
        for problem in loaded.problems:
            self.stderr.write(str(problem))
        if loaded.problems or loaded.instrument is None:
            raise CommandError(f"{path} is not a valid instrument file", returncode=1)
        return loaded.instrument, loaded.data, loaded.instrument.label()

    def _stored(self, ref: str, locale: str) -> tuple[Instrument, dict[str, Any], str]:
        slug, _, version = ref.partition("@")
        versions = InstrumentVersion.objects.filter(instrument__slug=slug, locale=locale)
        if version:
            versions = versions.filter(version=version)
        found = max(versions, key=lambda v: v.semver, default=None)
        if found is None:
            raise CommandError(f"no stored instrument {ref}", returncode=1)
        return document_for(found), found.content, found.label
