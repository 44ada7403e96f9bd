"""Rater counts in words whose noun agrees with the count, in every language."""

from django.utils.translation import ngettext


def counted_category(category: str, n: int) -> str:
    """'1 direct report', '2 direct reports', through the catalogue's plural forms."""
    if category == "manager":
        return ngettext("%(n)s manager", "%(n)s managers", n) % {"n": n}
    if category == "peer":
        return ngettext("%(n)s peer", "%(n)s peers", n) % {"n": n}
    if category == "direct":
        return ngettext("%(n)s direct report", "%(n)s direct reports", n) % {"n": n}
    return ngettext("%(n)s other", "%(n)s others", n) % {"n": n}
