"""The French interface: every message translated, and the compiled catalogue up to date."""

import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "fr" / "LC_MESSAGES"


def po_entries() -> dict[str, list[str]]:
    """msgid -> its msgstr (or msgstr[n]) texts, with continuation lines joined."""
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
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
