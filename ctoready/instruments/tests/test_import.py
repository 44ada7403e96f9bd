"""Importing is atomic, idempotent for identical content, and published versions never change."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ctoready.instruments import services
from ctoready.instruments.models import Instrument, InstrumentVersion
from ctoready.instruments.tests.conftest import MINI

pytestmark = pytest.mark.django_db


def test_import_stores_a_published_version_once():
    first = services.import_file(path=MINI)
    again = services.import_file(path=MINI)
    assert first.created and not again.created
    assert InstrumentVersion.objects.count() == 1
    assert first.version.is_published
    assert services.document_for(first.version).title == "Mini readiness check"


def test_published_version_cannot_change(write_yaml, mini_text):
    services.import_file(path=MINI)
    changed = write_yaml(mini_text.replace("Cloud costs trending up", "Cloud costs rising"))
    with pytest.raises(services.InstrumentError, match="already exists with different content"):
        services.import_file(path=changed)
    version = InstrumentVersion.objects.get()
    assert "Cloud costs trending up" in str(version.content)
    with pytest.raises(services.InstrumentError, match="cannot be changed"):
        services.update_draft(version=version, raw=changed.read_bytes())


def test_a_new_version_leaves_the_old_one_untouched(write_yaml, mini_text):
    old = services.import_file(path=MINI).version
    services.import_file(path=write_yaml(mini_text.replace("version: 1.0.0", "version: 1.1.0")))
    old.refresh_from_db()
    assert old.content_hash == services.content_hash(old.content)
    assert services.latest_version(slug="mini").version == "1.1.0"


def test_failed_import_changes_nothing(write_yaml, mini_text):
    bad = write_yaml(
        mini_text.replace("scale: strategy, response_scale", "scale: nope, response_scale")
    )
    with pytest.raises(CommandError):
        call_command("instrument", "import", str(bad))
    assert Instrument.objects.count() == 0
    assert InstrumentVersion.objects.count() == 0


def test_failure_in_a_later_file_keeps_earlier_files_and_reports(write_yaml, mini_text, capsys):
    bad = write_yaml("format: 1\n", name="bad.yaml")
    with pytest.raises(CommandError):
        call_command("instrument", "import", str(MINI), str(bad))
    assert InstrumentVersion.objects.count() == 1
    assert "bad.yaml:1: id: missing" in capsys.readouterr().err


def test_drafts_can_be_edited_and_published(write_yaml, mini_text):
    draft = services.import_file(path=MINI, publish=False).version
    assert not draft.is_published
    services.update_draft(
        version=draft, raw=mini_text.replace("Mini readiness", "Small readiness").encode()
    )
    draft.refresh_from_db()
    assert draft.content["title"] == "Small readiness check"
    services.publish_version(version=draft)
    assert InstrumentVersion.objects.get().is_published


def test_translation_must_match_structure(write_yaml, mini_text):
    services.import_file(path=MINI)
    french = mini_text.replace("locale: en", "locale: fr").replace("Never}", "Jamais}")
    assert services.import_file(path=write_yaml(french, "mini.fr.yaml")).created
    broken = french.replace("effectiveness: 5,", "effectiveness: 4,").replace(
        "version: 1.0.0", "version: 1.0.0"
    )
    other = write_yaml(broken.replace("locale: fr", "locale: de"), "mini.de.yaml")
    with pytest.raises(services.InstrumentError, match="a translation changes only texts"):
        services.import_file(path=other)


def test_export_round_trips(tmp_path):
    services.import_file(path=MINI)
    out = tmp_path / "out.yaml"
    call_command("instrument", "export", "mini@1.0.0", "-o", str(out))
    InstrumentVersion.objects.all().delete()
    Instrument.objects.all().delete()
    assert services.import_file(path=out).created


def test_validate_command_exits_1_without_traceback(write_yaml, capsys):
    bad = write_yaml("format: 1\nid: Not An Id\n")
    with pytest.raises(CommandError) as excinfo:
        call_command("instrument", "validate", str(bad))
    assert excinfo.value.returncode == 1
    err = capsys.readouterr().err
    assert "instrument.yaml:2: id: 'Not An Id' is not a valid id" in err
    assert "Traceback" not in err


def test_list_shows_versions(capsys):
    services.import_file(path=MINI)
    call_command("instrument", "list")
    assert "mini@1.0.0\ten\tpublished" in capsys.readouterr().out


def test_validate_works_before_the_database_exists(tmp_path):
    import subprocess
    import sys

    env = {
        "SECRET_KEY": "x" * 50,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "PATH": "/usr/bin",
    }
    result = subprocess.run(
        [sys.executable, "-m", "ctoready.cli", "instrument", "validate", str(MINI)],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "ok — mini@1.0.0" in result.stdout
