"""Printing statistics: a fixed number of decimals in the page's language, "—" when absent."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def stat(value: float | int | None, digits: int = 2) -> str:
    if value is None:
        return "—"
    return number_format(value, decimal_pos=digits)


@register.filter
def percent(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    return number_format(100.0 * value, decimal_pos=digits) + " %"
