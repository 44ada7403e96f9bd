"""Printing statistics: a fixed number of decimals in the page's language, "—" when absent."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def stat(value: float | int | None, digits: int = 2) -> str:
    if value is None:
        return "—"
    # number_format cuts extra decimals off; round first so 4.8999 prints as 4.9
    return number_format(round(value, digits), decimal_pos=digits)


@register.filter
def percent(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    return number_format(round(100.0 * value, digits), decimal_pos=digits) + " %"
