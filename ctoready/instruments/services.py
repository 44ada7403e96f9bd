"""Use cases for instruments: import, export, publish and the cached typed document."""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from ctoready.instruments import document as d
from ctoready.instruments.loader import Loaded, check_translation, load_bytes, load_file
from ctoready.instruments.models import Instrument, InstrumentVersion
from ctoready.instruments.validate import build_instrument
from ctoready.instruments.yamlsource import Problem, Source
from ctoready.lib.errors import DomainError


class InstrumentError(DomainError):
    """An instrument file or version refused, with every problem found."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems), "invalid_instrument")


@dataclass(frozen=True)
class ImportResult:
    version: InstrumentVersion
    created: bool


def content_hash(data: Any) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_loaded(loaded: Loaded, name: str) -> list[Problem]:
    """Everything wrong with a loaded file, including conflicts with what is stored."""
    problems = list(loaded.problems)
    if loaded.instrument is None:
        return problems
    doc = loaded.instrument
    try:
        stored = list(
            InstrumentVersion.objects.filter(instrument__slug=doc.id, version=doc.version)
        )
    except DatabaseError:
        return problems  # no database yet (not migrated): the file alone was checked
    for version in stored:
        if version.locale == doc.locale:
            if version.content_hash != content_hash(loaded.data):
                problems.append(
                    Problem(
                        name,
                        1,
                        "version",
                        f"{doc.id}@{doc.version} ({doc.locale}) already exists with different "
                        "content; a published version never changes, so raise the version",
                    )
                )
        else:
            problems.extend(check_translation(version.content, loaded.data, name))
            break
    return problems


@transaction.atomic
def import_instrument(*, loaded: Loaded, name: str, publish: bool = True) -> ImportResult:
    """Store a validated instrument version; all or nothing."""
    problems = check_loaded(loaded, name)
    if problems or loaded.instrument is None:
        raise InstrumentError(problems)
    doc = loaded.instrument
    digest = content_hash(loaded.data)
    instrument, _ = Instrument.objects.get_or_create(slug=doc.id, defaults={"title": doc.title})
    existing = InstrumentVersion.objects.filter(
        instrument=instrument, version=doc.version, locale=doc.locale
    ).first()
    if existing is not None:
        if publish and not existing.is_published:
            publish_version(version=existing)
        return ImportResult(existing, created=False)
    version = InstrumentVersion.objects.create(
        instrument=instrument,
        version=doc.version,
        locale=doc.locale,
        content=loaded.data,
        content_hash=digest,
        adaptive_enabled=doc.adaptive.enabled,
        status=InstrumentVersion.Status.PUBLISHED if publish else InstrumentVersion.Status.DRAFT,
        published_at=timezone.now() if publish else None,
    )
    return ImportResult(version, created=True)


def import_file(*, path: str | Path, publish: bool = True) -> ImportResult:
    path = Path(path)
    return import_instrument(loaded=load_file(path), name=path.name, publish=publish)


def publish_version(*, version: InstrumentVersion) -> None:
    if version.is_published:
        return
    version.status = InstrumentVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])


def set_adaptive(*, version: InstrumentVersion, enabled: bool) -> None:
    """Switch adaptive mode for new attempts of a version (published or not: attempts
    already started keep their mode). The one setting a published version may change."""
    InstrumentVersion.objects.filter(pk=version.pk).update(adaptive_enabled=enabled)
    version.adaptive_enabled = enabled


def update_draft(*, version: InstrumentVersion, raw: bytes, dry_run: bool = False) -> None:
    """Replace a draft's content; published versions are refused."""
    if version.is_published:
        raise InstrumentError(
            [Problem(version.label, 0, "status", "a published version cannot be changed")]
        )
    loaded = load_bytes(raw, version.label)
    problems = list(loaded.problems)
    doc = loaded.instrument
    if doc is not None and (doc.id, doc.version, doc.locale) != (
        version.instrument.slug,
        version.version,
        version.locale,
    ):
        problems.append(
            Problem(version.label, 1, "id", "id, version and locale must stay those of the draft")
        )
    if problems:
        raise InstrumentError(problems)
    if dry_run:
        return
    version.content = loaded.data
    version.content_hash = content_hash(loaded.data)
    version.save(update_fields=["content", "content_hash"])


def export_yaml(version: InstrumentVersion) -> str:
    return yaml.safe_dump(version.content, sort_keys=False, allow_unicode=True, width=100)


def shipped_files() -> list[Path]:
    """The shipped instrument files, each base locale before its translations."""
    files = sorted(Path(settings.INSTRUMENT_CONTENT_DIR).glob("*.yaml"))
    return sorted(files, key=lambda p: (p.name.count("."), p.name))


def import_shipped() -> list[ImportResult]:
    return [import_file(path=path) for path in shipped_files()]


_documents: dict[tuple[int, str], d.Instrument] = {}


def cached_document(version_pk: int, content_hash: str) -> d.Instrument | None:
    """The typed instrument of a version if this process has built it already."""
    return _documents.get((version_pk, content_hash))


def document_for(version: InstrumentVersion) -> d.Instrument:
    """The typed instrument for a stored version, built once per process."""
    key = (version.pk, version.content_hash)
    doc = _documents.get(key)
    if doc is None:
        source = Source(version.label, data=_with_authors_keys(version.content))
        doc = build_instrument(source)
        if doc is None:
            raise InstrumentError(source.problems)
        _documents[key] = doc
    return doc


def _with_authors_keys(content: Any) -> Any:
    """Stored content, with ``{source: authors}`` on scenarios stored before keys named it.

    Versions imported before scenario keys carried their provenance were all keyed by the
    authors, so that is the truthful default; files being validated get no such default.
    """
    items = content.get("items") if isinstance(content, dict) else None
    if not isinstance(items, list):
        return content
    patched = [
        {**item, "key_provenance": {"source": "authors"}}
        if isinstance(item, dict)
        and item.get("type") == "scenario"
        and "key_provenance" not in item
        else item
        for item in items
    ]
    return {**content, "items": patched}


def published_versions(slug: str | None = None) -> list[InstrumentVersion]:
    versions = InstrumentVersion.objects.filter(status=InstrumentVersion.Status.PUBLISHED)
    # The content is loaded only for a document not yet built in this process.
    versions = versions.defer("content")
    if slug:
        versions = versions.filter(instrument__slug=slug)
    return list(versions.select_related("instrument"))


def latest_version(*, slug: str | None = None, locale: str = "en") -> InstrumentVersion | None:
    """The newest published version in a locale (falling back to any locale)."""
    versions = published_versions(slug)
    if not versions:
        return None
    in_locale = [v for v in versions if v.locale == locale] or versions
    return max(in_locale, key=lambda v: (v.semver, v.locale == "en"))
