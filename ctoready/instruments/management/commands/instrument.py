"""ctoready instrument validate|import|export|list — manage instrument versions."""

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ctoready.instruments import services
from ctoready.instruments.loader import load_file
from ctoready.instruments.models import InstrumentVersion


class Command(BaseCommand):
    help = "Validate, import, export and list instrument versions."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        validate = sub.add_parser("validate", help="Check files and report every problem.")
        validate.add_argument("files", nargs="+", metavar="FILE")
        imp = sub.add_parser("import", help="Validate and store files, atomically.")
        imp.add_argument("files", nargs="*", metavar="FILE")
        imp.add_argument("--shipped", action="store_true", help="Import the shipped instruments.")
        imp.add_argument("--draft", action="store_true", help="Store as a draft, unpublished.")
        export = sub.add_parser("export", help="Write a stored version as YAML.")
        export.add_argument("ref", metavar="ID[@VERSION]")
        export.add_argument("--locale", default="en")
        export.add_argument("-o", "--output", metavar="FILE")
        listing = sub.add_parser("list", help="List stored versions.")
        listing.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "_" + options["action"])(options)

    def _report(self, problems: list[Any]) -> None:
        for problem in problems:
            self.stderr.write(str(problem))

    def _validate(self, options: dict[str, Any]) -> None:
        failed = False
        for name in options["files"]:
            loaded = load_file(name)
            problems = services.check_loaded(loaded, Path(name).name)
            self._report(problems)
            if problems:
                failed = True
            else:
                doc = loaded.instrument
                if doc is None:  # unreachable: no problems means a built document
                    continue
                self.stdout.write(
                    f"{name}: ok — {doc.label()} ({doc.locale}), {len(doc.scales)} scales, "
                    f"{len(doc.items)} items, {len(doc.pages)} pages"
                )
        if failed:
            raise CommandError("validation failed", returncode=1)

    def _import(self, options: dict[str, Any]) -> None:
        failed = False
        names = [str(p) for p in services.shipped_files()] if options["shipped"] else []
        names += options["files"]
        if not names:
            raise CommandError("name at least one FILE, or --shipped")
        for name in names:
            try:
                result = services.import_file(path=name, publish=not options["draft"])
            except services.InstrumentError as exc:
                self._report(list(exc.problems))
                failed = True
                continue
            verb = "imported" if result.created else "unchanged"
            self.stdout.write(f"{name}: {verb} {result.version}")
        if failed:
            raise CommandError(
                "import failed; nothing was stored for the failing files", returncode=1
            )

    def _export(self, options: dict[str, Any]) -> None:
        slug, _, version = options["ref"].partition("@")
        versions = InstrumentVersion.objects.filter(instrument__slug=slug, locale=options["locale"])
        if version:
            versions = versions.filter(version=version)
        found = max(versions, key=lambda v: v.semver, default=None)
        if found is None:
            raise CommandError(f"no stored version {options['ref']} in locale {options['locale']}")
        text = services.export_yaml(found)
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            self.stdout.write(f"wrote {found} to {options['output']}")
        else:
            sys.stdout.write(text)

    def _list(self, options: dict[str, Any]) -> None:
        rows = [
            {
                "id": v.instrument.slug,
                "version": v.version,
                "locale": v.locale,
                "status": v.status,
                "adaptive": v.adaptive_enabled,
                "created_at": v.created_at.isoformat(),
            }
            for v in InstrumentVersion.objects.select_related("instrument").order_by(
                "instrument__slug", "version", "locale"
            )
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, indent=2))
            return
        for row in rows:
            self.stdout.write(
                f"{row['id']}@{row['version']}\t{row['locale']}\t{row['status']}"
                + ("\tadaptive" if row["adaptive"] else "")
            )
