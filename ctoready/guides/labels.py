"""The few interface words around the guides, per language.

Guides carry their own language in their files; these are the labels of the pages around
them, kept here so the app needs no compiled message catalogue.
"""

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "index_title": "Guides: the CTO role explained",
        "index_lead": (
            "Practical, plain-spoken guides to what a CTO does, how the role differs from "
            "its neighbours, and how to get ready for it. Your report links to the sections "
            "that matter for you."
        ),
        "contents": "Contents",
        "search": "Search",
        "search_title": "Search the guides",
        "search_label": "Search the guides",
        "search_hint": "Type one or more words; every word must appear in a section.",
        "search_too_long": "That search is too long. Try a few words.",
        "search_none": "No section contains all of those words. Try fewer or different words.",
        "search_count": "sections found",
        "in_guide": "in",
        "cta_title": "Where do you stand?",
        "cta_text": (
            "The CTO Readiness Assessment takes about ten minutes and gives you an honest "
            "breakdown of your strengths and development areas across the whole role. "
            "Already taken it? Retake it to see what has changed."
        ),
        "cta_button": "Take or retake the assessment",
        "all_guides": "All guides",
        "other_language": "Lire en français",
        "other_language_code": "fr",
        "fallback": "This guide is not translated yet; here is the English version.",
    },
    "fr": {
        "index_title": "Guides : le rôle de CTO expliqué",
        "index_lead": (
            "Des guides concrets et sans jargon sur ce que fait un CTO, ce qui distingue le "
            "rôle de ses voisins et comment s’y préparer. Votre rapport renvoie aux sections "
            "qui vous concernent."
        ),
        "contents": "Sommaire",
        "search": "Rechercher",
        "search_title": "Rechercher dans les guides",
        "search_label": "Rechercher dans les guides",
        "search_hint": "Saisissez un ou plusieurs mots ; chaque mot doit figurer dans la section.",
        "search_too_long": "Cette recherche est trop longue. Essayez quelques mots.",
        "search_none": "Aucune section ne contient tous ces mots. Essayez-en moins ou d’autres.",
        "search_count": "sections trouvées",
        "in_guide": "dans",
        "cta_title": "Où en êtes-vous ?",
        "cta_text": (
            "L’évaluation CTO Readiness prend une dizaine de minutes et vous donne un bilan "
            "honnête de vos forces et de vos axes de progrès sur l’ensemble du rôle. Vous "
            "l’avez déjà passée ? Repassez-la pour mesurer le chemin parcouru."
        ),
        "cta_button": "Passer ou repasser l’évaluation",
        "all_guides": "Tous les guides",
        "other_language": "Read in English",
        "other_language_code": "en",
        "fallback": "Ce guide n’est pas encore traduit ; voici la version anglaise.",
    },
}


def labels(lang: str) -> dict[str, str]:
    return LABELS.get(lang, LABELS["en"])
