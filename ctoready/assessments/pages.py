"""What a page of the flow shows: its items with current answers, progress and time left."""

import math
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Protocol

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from ctoready.assessments import services
from ctoready.assessments.autosave import ANSWERED_ID, autosave_key
from ctoready.assessments.forms import field_name
from ctoready.assessments.models import Attempt
from ctoready.instruments import timing
from ctoready.instruments.derived import PerDocument
from ctoready.instruments.document import PARTS, Instrument, Item, Option, ResponseScale
from ctoready.instruments.models import InstrumentVersion
from ctoready.lib.csrf import get_token

_page_seconds: PerDocument[list[float]] = PerDocument()


@dataclass(frozen=True)
class Question:
    item: Item
    number: int
    name: str
    value: Any
    response_scale: ResponseScale | None = None
    options: tuple[Option, ...] = ()  # in this attempt's order (scenarios are shuffled)
    html: str = ""  # the question rendered from its cached blank form (questions_html)

    @property
    def best(self) -> str | None:
        return self.value.get("best") if isinstance(self.value, dict) else None

    @property
    def worst(self) -> str | None:
        return self.value.get("worst") if isinstance(self.value, dict) else None

    @property
    def answered(self) -> bool:
        return self.value is not None and self.value != {}


def page_seconds(doc: Instrument, version: InstrumentVersion) -> list[float]:
    """Typical seconds per page, from the documented timing model (docs/timing-model.md).

    Each part's pages are scaled to the model's typical time for that part, which also
    discounts repeated stems. Computed once per process and instrument: the version's
    content (tens of kilobytes of JSON, deferred when attempts are fetched) is read only
    then.
    """
    return _page_seconds.get_or_build(doc, lambda: _scaled_page_seconds(doc, version))


def _scaled_page_seconds(doc: Instrument, version: InstrumentVersion) -> list[float]:
    seconds = []
    for page in doc.pages:
        total = timing.PAGE_SECONDS
        for ref in page.items:
            item = doc.item_by_id[ref]
            words = timing.count_words(item.text) + sum(
                timing.count_words(o.text) for o in item.options
            )
            total += words / timing.READING_WPM * 60 + timing.RESPONSE_SECONDS[item.type]
        seconds.append(total)
    for part in PARTS:
        numbers = doc.page_numbers(part)
        if not numbers:
            continue
        estimate = timing.estimate(timing.part_document(version.content, part), people=1)
        scale = estimate.typical_minutes * 60 / sum(seconds[n - 1] for n in numbers)
        for n in numbers:
            seconds[n - 1] *= scale
    return seconds


def part_minutes(doc: Instrument, version: InstrumentVersion, part: str) -> int:
    """A part's typical length in whole minutes (at least one), for "about N minutes"."""
    seconds = page_seconds(doc, version)
    return max(1, round(sum(seconds[n - 1] for n in doc.page_numbers(part)) / 60))


def page_context(
    request: HttpRequest,
    attempt: Attempt,
    doc: Instrument,
    number: int,
    items: tuple[str, ...],
    error: str | None = None,
    answers: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What a page shows; ``answers`` are the attempt's stored answers when the caller has
    just read them."""
    page = doc.pages[number - 1]
    numbers = doc.page_numbers(page.part)
    if answers is None:
        answers = services.answers_of(attempt)
    questions = []
    first_number = sum(len(doc.pages[n - 1].items) for n in range(numbers.start, number))
    for offset, ref in enumerate(items, start=1):
        item = doc.item_by_id[ref]
        questions.append(
            Question(
                item=item,
                number=first_number + offset,
                name=field_name(item),
                value=answers.get(ref),
                response_scale=doc.response_scales.get(item.response_scale or ""),
                options=attempt.options_of(item),
            )
        )
    stems = {q.response_scale.stem for q in questions if q.response_scale and q.response_scale.stem}
    stem = next(iter(stems)) if len(stems) == 1 else None
    seq = services.now_seq()
    autosave_url = attempt_url("attempt_autosave", attempt.public_id)
    if error is None:
        # A page with an error shows it beside its question: rendered in full instead.
        questions = questions_html(attempt.version, questions, stem, autosave_url, seq)
    seconds = page_seconds(doc, attempt.version)
    remaining = sum(seconds[number - 1 : numbers.stop - 1])
    in_part = {item.id for item in doc.items_in(page.part)}
    answered = len(services.answered_ids(answers) & in_part)
    total = len(in_part)
    return {
        "attempt": attempt,
        "doc": doc,
        "page": page,
        "number": number,
        "position": number - numbers.start + 1,  # counted within the part being taken
        "pages": len(numbers),
        "deep": page.part == "deep",
        "questions": questions,
        "seq": seq,
        "answered": answered,
        # The count in the sentence under the bar, which each autosave replaces.
        "answered_html": format_html('<span id="{}">{}</span>', ANSWERED_ID, answered),
        "total": total,
        "percent": round(100 * answered / total) if total else 0,
        "minutes_left": max(1, math.ceil(remaining / 60)),
        "error": error,
        "stem": stem,
        "autosave_url": autosave_url,
        "autosave_key": autosave_key(attempt),
    }


def next_page(doc: Instrument, number: int, direction: str) -> int | None:
    """The page a post of page ``number`` leads to, by the button pressed (``go``: next,
    back or review); None for the review page of its part."""
    numbers = doc.page_numbers(doc.part_of_page(number))
    if direction == "back" and number > numbers.start:
        return number - 1
    if direction == "review" or number >= numbers.stop - 1:
        return None
    return number + 1


def after_page_url(public_id: str, doc: Instrument, number: int, direction: str) -> str:
    """Where a post of page ``number`` sends the person (:func:`next_page`); a page gone
    back to says so, so that an adaptive page left empty is skipped backwards."""
    following = next_page(doc, number, direction)
    if following is None:
        return attempt_url("attempt_review", public_id)
    url = attempt_url("attempt_page", public_id, following)
    return url + "?from=next-page" if following == number - 1 else url


# A public id (models.new_public_id) is letters, digits, "-" and "_": reversing writes it
# as it is, so an address reversed once with a marker in its place serves every attempt.
_PUBLIC_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")
_ID_MARK = "publicid0mark"
_urls: dict[tuple[str, str, int | None], tuple[str, str]] = {}


def attempt_url(name: str, public_id: str, number: int | None = None) -> str:
    """``reverse(name)`` for an attempt's address (``public_id``, and a page's ``number``),
    reversed once per script prefix, route and page: reversing costs about 25 µs, a good
    part of a page request's own work."""
    kwargs: dict[str, Any] = {"public_id": public_id}
    if number is not None:
        kwargs["number"] = number
    if not _PUBLIC_ID.fullmatch(public_id):
        return reverse(name, kwargs=kwargs)
    key = (get_script_prefix(), name, number)
    around = _urls.get(key)
    if around is None:
        marked = reverse(name, kwargs=kwargs | {"public_id": _ID_MARK})
        head, _, tail = marked.rpartition(_ID_MARK)  # the id is the address's last name
        around = _urls[key] = (head, tail)
    return public_id.join(around)


TEMPLATES = {"likert": "assessments/_likert.html", "scenario": "assessments/_scenario.html"}
_URL, _SEQ = "\x00autosave-url\x00", "\x00seq\x00"
_blanks: dict[tuple[Any, ...], str] = {}
MAX_BLANKS = 20_000  # about 2 kB each; a process holds at most ~40 MB of them


class _SaveResult(Protocol):
    @property
    def saved(self) -> bool: ...


def newer_answers_kept(request: HttpRequest, results: Iterable[_SaveResult]) -> bool:
    """Whether a page just posted (candidate's or rater's) met newer answers stored from
    another tab or window, which were kept; if so, the page shown again says so."""
    if all(result.saved for result in results):
        return False
    messages.info(
        request,
        gettext(
            "Some answers on this page were changed more recently in another tab or "
            "window; the newer answers were kept. Check them below."
        ),
    )
    return True


def questions_html(
    version: InstrumentVersion, questions: list[Question], stem: str | None, url: str, seq: int
) -> list[Question]:
    """Each question rendered: its blank form (what never changes for a version, item,
    position, option order and language) is rendered once per process; only the
    candidate's answer, the page's sequence number and the attempt's save address are put
    in per request."""
    language = translation.get_language()
    out = []
    for q in questions:
        key = (
            version.pk,
            version.content_hash,
            language,
            q.item.id,
            q.number,
            tuple(option.id for option in q.options),
            stem is not None,
        )
        blank = _blanks.get(key)
        if blank is None:
            if len(_blanks) >= MAX_BLANKS:
                _blanks.clear()
            context = {"q": replace(q, value=None), "stem": stem, "autosave_url": _URL, "seq": _SEQ}
            blank = _blanks[key] = render_to_string(
                TEMPLATES.get(q.item.type, "assessments/_choice.html"), context
            )
        html = blank.replace(_URL, escape(url)).replace(_SEQ, str(seq))
        for name, value in _chosen(q):
            # Every template writes a radio button as name="…" value="…", then " checked"
            # when it is the answer; each pair is unique on the page.
            radio = f'name="{escape(name)}" value="{escape(value)}"'
            html = html.replace(radio, f"{radio} checked", 1)
        out.append(replace(q, html=mark_safe(html)))  # noqa: S308 (rendered, escaped above)
    return out


def _chosen(q: Question) -> list[tuple[str, str]]:
    """The (field, value) pairs of the candidate's answer to ``q``."""
    if q.item.type == "scenario":
        sides = (("best", q.best), ("worst", q.worst))
        return [(f"{q.name}-{side}", choice) for side, choice in sides if choice]
    return [] if q.value is None else [(q.name, str(q.value))]


# The page around its questions ------------------------------------------------------
#
# Everything page.html shows besides the questions is the same for every candidate on a
# (version, page, language, signed in or not, stem): it is rendered once per process with
# a marker in each place that differs per request, and later requests put the values in.
# Pages with something more to show (a message, the resume link, an error) are rendered
# by the template in full, as in development (DEBUG), where templates change.
PAGE_TEMPLATE = "assessments/page.html"
_SLOTS = ("csrf", "nonce", "seq", "key", "questions", "answered", "percent", "public_id")
# Letters and digits only: a marker is left as it is by escaping and by URL building.
_MARK = {slot: f"m{secrets.token_hex(8)}{slot.replace('_', '')}" for slot in _SLOTS}
_SLOT_OF = {mark: slot for slot, mark in _MARK.items()}
_MARKS = re.compile("|".join(_MARK.values()))
Shell = tuple[tuple[str, ...], tuple[str, ...]]  # the texts between the markers, their slots
_shells: dict[tuple[Any, ...], Shell] = {}
MAX_SHELLS = 2_000  # about 7 kB each


def render_page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    """page.html for ``context`` (from :func:`page_context`), as ``render`` would give it."""
    if (
        settings.DEBUG
        or context["error"]
        or context.get("resume_url")
        or len(messages.get_messages(request))
    ):
        return HttpResponse(render_to_string(PAGE_TEMPLATE, context, request=request))
    key = shell_key(context, signed_in=request.user.is_authenticated)
    shell = _shells.get(key)
    if shell is None:
        if len(_shells) >= MAX_SHELLS:
            _shells.clear()
        shell = _shells[key] = _shell(request, context)
    return HttpResponse(fill(shell, context, get_token(request), str(get_nonce(request))))


def shell_key(context: dict[str, Any], *, signed_in: bool) -> tuple[Any, ...]:
    """What the page around the questions depends on: the version, the page, the
    language, whether someone is signed in, and the questions' shared stem."""
    version = context["attempt"].version
    language = translation.get_language()
    return (
        version.pk,
        version.content_hash,
        context["number"],
        language,
        signed_in,
        context["stem"],
    )


def cached_shell(context: dict[str, Any], *, signed_in: bool) -> Shell | None:
    """The page around ``context``'s questions if this process has rendered it already."""
    return _shells.get(shell_key(context, signed_in=signed_in))


def fill(shell: Shell, context: dict[str, Any], csrf: str, nonce: str) -> str:
    """The page: ``shell`` with this request's values in its slots."""
    values = {
        "csrf": csrf,
        "nonce": nonce,
        "seq": str(context["seq"]),
        "key": escape(context["autosave_key"]),
        "questions": "".join(q.html for q in context["questions"]),
        "answered": str(context["answered"]),
        "percent": str(context["percent"]),
        "public_id": escape(context["attempt"].public_id),
    }
    texts, slots = shell
    parts = [texts[0]]
    for slot, text in zip(slots, texts[1:], strict=True):
        parts += (values[slot], text)
    return "".join(parts)


def _shell(request: HttpRequest, context: dict[str, Any]) -> Shell:
    """The page rendered with a marker in each slot."""
    marked = mark_safe  # every marker is letters and digits
    question = replace(context["questions"][0], html=marked(_MARK["questions"]))
    shell_context = context | {
        "csrf_token": marked(_MARK["csrf"]),
        "csp_nonce": marked(_MARK["nonce"]),
        "messages": (),
        "seq": marked(_MARK["seq"]),
        "autosave_key": marked(_MARK["key"]),
        "questions": [question],
        "answered": marked(_MARK["answered"]),
        "answered_html": format_html('<span id="{}">{}</span>', ANSWERED_ID, _MARK["answered"]),
        "percent": marked(_MARK["percent"]),
        "attempt": _Marked(public_id=_MARK["public_id"]),
    }
    html = render_to_string(PAGE_TEMPLATE, shell_context, request=request)
    return tuple(_MARKS.split(html)), tuple(_SLOT_OF[m] for m in _MARKS.findall(html))


@dataclass(frozen=True)
class _Marked:
    """What page.html reads of the attempt when the resume notice is not shown."""

    public_id: str


@dataclass(frozen=True)
class DeepOffer:
    """What the optional deep-dive adds, for the end of the core and the report."""

    minutes: int
    scenarios: int
    self_checks: int


def deep_offer(doc: Instrument, version: InstrumentVersion) -> DeepOffer | None:
    if not doc.has_deep:
        return None
    items = doc.items_in("deep")
    return DeepOffer(
        minutes=part_minutes(doc, version, "deep"),
        scenarios=sum(1 for item in items if item.type == "scenario"),
        self_checks=sum(1 for item in items if item.type == "self_check"),
    )
