"""ctoready norms build|list — freeze a named, dated reference group of a version."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.text import slugify

from ctoready.analytics.models import Norm
from ctoready.analytics.norm_building import NormRefusedError, build_norm
from ctoready.analytics.versions import versions_for


class Command(BaseCommand):
    help = "Build (freeze) or list norms: named, dated reference groups of real attempts."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        build = sub.add_parser("build", help="Freeze the real finished attempts of a version.")
        build.add_argument("--instrument", required=True, metavar="ID@VERSION")
        build.add_argument("--context", default="", help="Only attempts aiming at this context.")
        build.add_argument("--name", help="Default: ID-VERSION[-CONTEXT].")
        sub.add_parser("list", help="Every norm, newest first.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            for norm in Norm.objects.all():
                self.stdout.write(
                    f"{norm.name} v{norm.number}\t{norm.instrument_slug}@{norm.instrument_version}"
                    f"\t{norm.context or 'all contexts'}\tn={norm.n}\t{norm.built_at:%Y-%m-%d}"
                )
            return
        versions = [v for v in versions_for(options["instrument"]) if v.is_published]
        if not versions or "@" not in options["instrument"]:
            raise CommandError(
                f"no published instrument version {options['instrument']} (give ID@VERSION)",
                returncode=1,
            )
        context = options["context"]
        if context and context not in {c.id for c in _contexts(versions)}:
            raise CommandError(f"unknown context {context!r}", returncode=1)
        default = f"{versions[0].instrument.slug}-{versions[0].version.replace('.', '-')}"
        name = slugify(options["name"] or (f"{default}-{context}" if context else default))
        if not name:
            raise CommandError("--name must contain letters or digits", returncode=1)
        try:
            norm = build_norm(versions=versions, name=name, context=context)
        except NormRefusedError as error:
            raise CommandError(str(error), returncode=1) from None
        self.stdout.write(f"built norm {norm.name} v{norm.number}: n={norm.n}. {norm.population}")


def _contexts(versions: list[Any]) -> Any:
    from ctoready.instruments.services import document_for

    return document_for(versions[0]).contexts
