from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ctoready.guides import library
from ctoready.guides.labels import labels
from ctoready.guides.search import MAX_QUERY_LENGTH, QueryTooLongError, query_words
from ctoready.guides.search import search as search_sections


def _context(lang: str, **extra: object) -> dict[str, object]:
    return {"lang": lang, "t": labels(lang), **extra}


def index(request: HttpRequest) -> HttpResponse:
    lang = library.pick_language(request)
    return render(request, "guides/index.html", _context(lang, guides=library.list_guides(lang)))


def guide(request: HttpRequest, slug: str) -> HttpResponse:
    lang = library.pick_language(request)
    found = library.get_guide(slug, lang)
    if found is None:
        raise Http404("No such guide.")
    context = _context(lang, guide=found, fallback_notice=labels(lang)["fallback"])
    context["t"] = labels(found.lang)  # the page around the guide speaks the guide's language
    return render(request, "guides/guide.html", context)


def search(request: HttpRequest) -> HttpResponse:
    lang = library.pick_language(request)
    query = request.GET.get("q", "").strip()
    too_long, results = False, []
    try:
        results = search_sections(query_words(query), library.sections(lang))
    except QueryTooLongError:
        too_long = True
    return render(
        request,
        "guides/search.html",
        _context(
            lang,
            query=query[:MAX_QUERY_LENGTH],
            max_length=MAX_QUERY_LENGTH,
            too_long=too_long,
            results=results,
        ),
    )
