"""Plain dicts of what the API returns, built from the domain objects.

The API endpoints and ``ctoready take`` (local mode) both read these, so the terminal sees
exactly what a remote client sees. Nothing here exposes scoring keys: no IRT parameters,
reverse keys, scale membership, scenario effectiveness or rationales, preference targets.
"""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from ctoready.assessments.adaptive import page_items
from ctoready.assessments.duration import part_duration
from ctoready.assessments.models import Answer, Attempt, Link
from ctoready.assessments.services import answered_ids, answers_of
from ctoready.instruments import document as d
from ctoready.instruments.models import InstrumentVersion
from ctoready.instruments.services import document_for
from ctoready.lib.siteurl import absolute
from ctoready.reports.models import Report
from ctoready.reports.reportview import build_report_view


def instrument(version: InstrumentVersion) -> dict[str, Any]:
    doc = document_for(version)
    return {
        "id": doc.id,
        "version": doc.version,
        "locale": doc.locale,
        "title": doc.title,
        "description": doc.description,
        # The core's length as the landing page states it: measured once enough people have
        # finished, the timing model's figure before (ctoready.assessments.duration).
        "estimated_minutes": part_duration(version).minutes,
        "published_at": version.published_at,
        "contexts": [{"id": c.id, "name": c.name, "rationale": c.rationale} for c in doc.contexts],
    }


def response_scale(scale: d.ResponseScale | None) -> dict[str, Any] | None:
    if scale is None:
        return None
    return {
        "id": scale.id,
        "points": [{"value": p.value, "label": p.label} for p in scale.points],
        "no_opportunity": scale.no_opportunity,
        "stem": scale.stem,
    }


def item(it: d.Item) -> dict[str, Any]:
    return {
        "id": it.id,
        "type": it.type,
        "text": it.text,
        "title": it.title,
        "question": it.question,
        "mode": it.mode,
        "response_scale": it.response_scale,
        "options": [{"id": o.id, "text": o.text} for o in it.options],
    }


def instrument_content(version: InstrumentVersion) -> dict[str, Any]:
    doc = document_for(version)
    return {
        **instrument(version),
        "instructions": doc.instructions,
        "response_scales": [response_scale(s) for s in doc.response_scales.values()],
        "scales": [{"id": s.id, "name": s.name, "description": s.description} for s in doc.scales],
        "items": [item(it) for it in doc.items],
        "pages": [
            {"number": n, "id": p.id, "title": p.title, "intro": p.intro, "items": list(p.items)}
            for n, p in enumerate(doc.pages, start=1)
        ],
    }


def items_on(
    att: Attempt, doc: d.Instrument, number: int, answers: dict[str, Any]
) -> tuple[str, ...]:
    """The items page ``number`` shows this attempt (adaptive pages are chosen on first view)."""
    return page_items(att, doc, number, answers)


def planned_items(att: Attempt, doc: d.Instrument, number: int) -> tuple[str, ...]:
    """The items of a page as far as known, without choosing adaptive items early."""
    page = doc.pages[number - 1]
    assigned = att.adaptive_state.get("pages", {}) if att.mode == Attempt.Mode.ADAPTIVE else {}
    return tuple(assigned.get(page.id, page.items))


def next_page_number(att: Attempt, doc: d.Instrument, answers: dict[str, Any]) -> int | None:
    """The first page with an unanswered question, as the web flow's resume finds it."""
    done = answered_ids(answers)
    for number in doc.page_numbers("core"):  # the API takes the core; the web adds the deep-dive
        if any(ref not in done for ref in items_on(att, doc, number, answers)):
            return number
    return None


def attempt(att: Attempt, answers: dict[str, Any] | None = None) -> dict[str, Any]:
    doc = document_for(att.version)
    answers = answers_of(att) if answers is None else answers
    done = answered_ids(answers)
    pages = []
    for number in doc.page_numbers("core"):
        page = doc.pages[number - 1]
        items = planned_items(att, doc, number)
        answered = sum(1 for ref in items if ref in done)
        pages.append(
            {"number": number, "title": page.title, "answered": answered, "total": len(items)}
        )
    state = att.status
    if state == Attempt.Status.IN_PROGRESS and not att.is_open:
        state = Attempt.Status.EXPIRED
    return {
        "id": att.public_id,
        "status": state,
        "instrument": doc.id,
        "version": doc.version,
        "locale": doc.locale,
        "context": att.context,
        "created_at": att.created_at,
        "expires_at": att.expires_at,
        "finished_at": att.finished_at,
        "progress": {
            "answered": len(done),
            "total": sum(p["total"] for p in pages),
            "pages": pages,
        },
        "next_page": next_page_number(att, doc, answers) if att.is_open else None,
    }


def resume_url(request: HttpRequest, token: str) -> str:
    return absolute(reverse("resume", args=[token]), request)


def page(att: Attempt, number: int) -> dict[str, Any]:
    doc = document_for(att.version)
    pg = doc.pages[number - 1]
    answers = answers_of(att)
    items = items_on(att, doc, number, answers)
    rows = {a.item_id: a for a in Answer.objects.filter(attempt=att, item_id__in=list(items))}
    first = sum(len(planned_items(att, doc, n)) for n in range(1, number))
    questions = []
    for offset, ref in enumerate(items, start=1):
        it = doc.item_by_id[ref]
        row = rows.get(ref)
        questions.append(
            {
                **item(it),
                "options": [{"id": o.id, "text": o.text} for o in att.options_of(it)],
                "number": first + offset,
                "scale": response_scale(doc.response_scales.get(it.response_scale or "")),
                "answer": row.value if row else None,
                "seq": row.seq if row else None,
            }
        )
    stems = {q["scale"]["stem"] for q in questions if q["scale"] and q["scale"]["stem"]}
    answered = len(answered_ids(answers))
    return {
        "attempt": att.public_id,
        "number": number,
        "pages": len(doc.pages),
        "id": pg.id,
        "title": pg.title,
        "intro": pg.intro,
        "stem": next(iter(stems)) if len(stems) == 1 else None,
        "questions": questions,
        "answered": answered,
        "total": sum(len(planned_items(att, doc, n)) for n in doc.page_numbers("core")),
    }


def _interval(value: Any) -> dict[str, int] | None:
    return {"score": value.score, "low": value.low, "high": value.high} if value else None


def _clear_top(fit: Any) -> str | None:
    """The best fit's name, only when it is ahead of the next beyond measurement error."""
    return str(fit.top.name) if fit.clearly_ahead and fit.top is not None else None


def _readiness(view: Any) -> dict[str, Any]:
    """The level after the experience gates, both levels when the range crosses a cut-off,
    and the experience the reached levels presume but the answers do not show."""
    rd = view.readiness
    return {
        "level": rd.level.label if rd else None,
        "level_text": rd.level.text if rd else None,
        "level_range": [rd.lower.label, rd.upper.label] if rd and rd.straddles else None,
        "missing_experience": list(rd.missing) if rd else [],
    }


def _reading(reading: Any) -> dict[str, Any] | None:
    """Preference and scores apart, then together (reports/fitreading.py)."""
    if reading is None:
        return None
    return {
        "preference": reading.preference,
        "scores": reading.scores,
        "combined": f"{reading.combined} {reading.confidence}",
        "note": reading.note,
    }


def report_summary(att: Attempt, report: Report) -> dict[str, Any]:
    """The headline of a finished report, from the same view the page and PDF render."""
    view = build_report_view(attempt=att, report=report)

    def fits(fit: Any) -> list[dict[str, Any]]:
        return [{"id": r.id, "name": r.name, "value": _interval(r.value)} for r in fit.rows]

    return {
        "attempt": att.public_id,
        "finished_at": att.finished_at,
        "instrument": view.instrument_version,
        "context": view.summary.context_name,
        "readiness": _interval(view.summary.value),
        **_readiness(view),
        "scales": [
            {
                "id": r.id,
                "name": r.name,
                "value": _interval(r.value),
                "classification": r.classification,
                "band": r.band,
                "narrative": r.narrative,
            }
            for r in view.scales
        ],
        "strengths": [r.name for r in view.strengths],
        "developments": [r.name for r in view.developments],
        "experience_gaps": [g.scale.name for g in view.gaps],
        "judgement": _interval(view.judgement.value),
        "judgement_key": view.judgement.key_summary,
        "role_fit": fits(view.role_fit),
        "top_role": _clear_top(view.role_fit),
        "type_fit": fits(view.type_fit),
        "top_type": _clear_top(view.type_fit),
        "role_reading": _reading(view.role_reading),
        "type_reading": _reading(view.type_reading),
    }


def share(link: Link) -> dict[str, Any]:
    return {
        "id": link.pk,
        "label": link.label,
        "created_at": link.created_at,
        "expires_at": link.expires_at,
        "revoked_at": link.revoked_at,
        "last_used_at": link.last_used_at,
        "active": link.is_active,
    }
