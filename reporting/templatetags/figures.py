"""Showing a figure with its numerator and denominator: ``{{ figures.bad_rate|ratio }}``.

A rate prints as a percentage, quality as points; both carry "numerator / denominator" in a title
(hover, long-press) and in a visually hidden span for screen readers and printouts.
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


@register.filter
def ratio(value, kind: str = "percent"):
    """A Ratio (or its as_dict()) as <span class="fig" title="num / den">87.5%</span>; "—" for 0/0."""
    if value is None:
        return "—"
    num, den = (value["num"], value["den"]) if isinstance(value, dict) else (value.num, value.den)
    if not den:
        return format_html('<span class="fig empty" title="{}">—</span>', _("无数据（分母为 0）"))
    shown = f"{num / den:.2f}" if kind == "points" else f"{100 * num / den:.1f}%"
    detail = f"{_number(num)} / {_number(den)}"
    return format_html(
        '<span class="fig" title="{}">{}<span class="fig-detail">（{}）</span></span>', detail, shown, detail
    )


@register.filter
def percent(value) -> str:
    """A fraction 0..1 as a percentage; "—" for None."""
    return "—" if value is None else f"{100 * value:.1f}%"


@register.filter
def score(value) -> str:
    """A composite score with two decimals (98.50, 100.00); "—" when there is none."""
    return "—" if value is None else f"{float(value):.2f}"
