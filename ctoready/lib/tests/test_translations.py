"""The French interface: every message translated, and the compiled catalogue up to date."""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]
LOCALE = PACKAGE / "locale" / "fr" / "LC_MESSAGES"
# As `make messages` runs it (Makefile): the scoring core and the guides' content are
# translated by their own means.
MAKEMESSAGES = (
    "from django.conf import settings; from django.core.management import call_command; "
    "import django; django.setup(); settings.LOCALE_PATHS = ['locale']; "
    "call_command('makemessages', locale=['fr'], no_obsolete=True, verbosity=0, "
    "ignore_patterns=['scoring/*', 'guides/content/*'])"
)


def po_entries(po: Path = LOCALE / "django.po") -> dict[str, list[str]]:
    """msgid -> its msgstr (or msgstr[n]) texts, with continuation lines joined."""
    text = po.read_text(encoding="utf-8")
    entries = {}
    for block in text.split("\n\n"):
        fields: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                key = match.group(1)
                fields[key] = match.group(2)
            elif key and line.startswith('"'):
                fields[key] += line[1:-1]
        if fields.get("msgid"):
            entries[fields["msgid"]] = [v for k, v in fields.items() if k.startswith("msgstr")]
    return entries


def test_every_message_is_translated():
    untranslated = [msgid for msgid, strs in po_entries().items() if not all(strs)]
    assert untranslated == []


def test_the_catalogue_holds_what_the_sources_mark_and_nothing_else(tmp_path):
    """`make messages` would add or drop no message. A text translated only where it is
    shown (a model's choice label) is marked with ``gettext_noop`` where it is written:
    otherwise the next `make messages` drops its translation."""
    copy = tmp_path / "ctoready"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    env = os.environ | {"PYTHONPATH": str(PACKAGE.parent), "SECRET_KEY": "messages"}
    subprocess.run([sys.executable, "-c", MAKEMESSAGES], cwd=copy, env=env, check=True)
    extracted = po_entries(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po")
    committed = po_entries()
    assert sorted(set(extracted) - set(committed)) == []  # new text, not yet in the catalogue
    assert sorted(set(committed) - set(extracted)) == []  # gone from the sources, or unmarked


def test_compiled_catalogue_matches_the_sources():
    with (LOCALE / "django.mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    for msgid in po_entries():
        plain = msgid.replace('\\"', '"').replace("\\n", "\n")
        assert plain in catalogue._catalog or (plain, 0) in catalogue._catalog, msgid


@pytest.mark.django_db
def test_the_landing_page_speaks_french_when_asked(client):
    from ctoready.instruments.services import import_file
    from ctoready.instruments.tests.conftest import MINI

    import_file(path=MINI)
    html = client.get("/?lang=fr").content.decode()
    assert "Devenir CTO : où en êtes-vous" in html
    assert '<html lang="fr">' in html
    assert "How ready are you" in client.get("/").content.decode()
