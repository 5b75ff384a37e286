"""Server-rendered charts: inline SVG built here, so the pages need no JavaScript library and no CDN.

Every chart has a fixed ``viewBox`` (CSS scales it to the width of its box), ``role="img"`` with an
``aria-label`` and a ``<title>``/``<desc>`` pair, and a ``<title>`` on each bar or point so hovering shows
the exact figure. Text is escaped; the markup is well-formed XML (tests parse it with xml.etree).
Fonts are inherited from the page (system CJK fonts, see static/css/app.css).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

INK = "#1f2329"
MUTED = "#646a73"
GRID = "#e5e6eb"
TRACK = "#f2f3f5"
BAR = "#5b7fb5"
LINE = "#b81c22"

# 非常不满意 … 非常满意: red to green, readable on white.
GRADE_COLOURS = {1: "#b81c22", 2: "#e0673a", 3: "#d9a21b", 4: "#6a9f4a", 5: "#1a7f37"}


def _svg(
    chart_id: str, width: int, height: int, title: str, desc: str, body: list[str], kind: str
) -> SafeString:
    # Every text and attribute value below is escaped.
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" id="{escape(chart_id)}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'aria-describedby="{escape(chart_id)}-desc">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def _text(
    x: float, y: float, text: str, *, anchor: str = "start", size: int = 12, fill: str = INK, weight=""
) -> str:
    bold = ' font-weight="600"' if weight else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{fill}"{bold}>'
        f"{escape(text)}</text>"
    )


def nice_scale(peak: float, ticks: int = 4, *, integer: bool = True) -> tuple[float, float]:
    """A round axis maximum >= ``peak`` and its tick step (1, 2, 2.5 or 5 times a power of ten)."""
    if peak <= 0:
        return float(ticks), 1.0
    raw = peak / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if raw <= m * magnitude * (1 + 1e-9))
    if integer:
        step = max(1.0, math.ceil(step))
    return step * ticks, step


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def _percent_label(value: float) -> str:
    return f"{value:g}%"


@dataclass(frozen=True)
class TrendPoint:
    label: str  # "10月"
    year: int
    month: int
    count: int  # ratings of the month
    bad: int
    rate: float | None  # 差评率 as a fraction; None when nothing was rated


def trend_chart(points: Sequence[TrendPoint], *, chart_id: str, title: str) -> SafeString:
    """Ratings per month (bars, left axis) and 差评率 per month (line, right axis)."""
    width, height = 760, 320
    left, right, top, bottom = 58, 58, 48, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    base = top + plot_h
    count_max, count_step = nice_scale(max((p.count for p in points), default=0))
    rates = [100 * p.rate for p in points if p.rate is not None]
    rate_max, rate_step = nice_scale(max(rates, default=0), integer=False) if rates else (4.0, 1.0)
    body: list[str] = []

    # Legend
    body.append(f'<rect x="{left}" y="14" width="14" height="14" fill="{BAR}" rx="2"/>')
    body.append(_text(left + 20, 26, _("评价数（件，左轴）"), size=13))
    lx = left + 190
    body.append(f'<line x1="{lx}" y1="21" x2="{lx + 22}" y2="21" stroke="{LINE}" stroke-width="2.5"/>')
    body.append(f'<circle cx="{lx + 11}" cy="21" r="3.5" fill="#fff" stroke="{LINE}" stroke-width="2"/>')
    body.append(_text(lx + 28, 26, _("差评率（%，右轴）"), size=13))

    # Grid and both axes
    ticks = round(count_max / count_step)
    for i in range(ticks + 1):
        y = base - plot_h * i / ticks
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(_text(left - 8, y + 4, _number(count_step * i), anchor="end", size=11, fill=MUTED))
        body.append(
            _text(left + plot_w + 8, y + 4, _percent_label(round(rate_step * i, 4)), size=11, fill=LINE)
        )
    body.append(f'<line x1="{left}" y1="{base}" x2="{left + plot_w}" y2="{base}" stroke="{MUTED}"/>')

    slot = plot_w / max(len(points), 1)
    bar_w = slot * 0.56
    line_xy: list[tuple[float, float] | None] = []
    for i, p in enumerate(points):
        cx = left + slot * (i + 0.5)
        h = plot_h * p.count / count_max if count_max else 0
        tip = _("%(year)d年%(month)d月：评价 %(count)s 件，差评 %(bad)s 件") % {
            "year": p.year, "month": p.month, "count": _number(p.count), "bad": _number(p.bad),
        }  # fmt: skip
        body.append(
            f'<rect x="{cx - bar_w / 2:.1f}" y="{base - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
            f'fill="{BAR}" rx="2"><title>{escape(tip)}</title></rect>'
        )
        if p.count:
            body.append(_text(cx, base - h - 5, _number(p.count), anchor="middle", size=11, fill=INK))
        body.append(_text(cx, base + 18, p.label, anchor="middle", size=12))
        if i == 0 or p.month == 1:
            body.append(
                _text(cx, base + 34, _("%(year)d年") % {"year": p.year}, anchor="middle", size=11, fill=MUTED)
            )
        if p.rate is None:
            line_xy.append(None)
        else:
            line_xy.append((cx, base - plot_h * min(100 * p.rate, rate_max) / rate_max))

    # The rate line, broken where a month had no ratings
    segment: list[tuple[float, float]] = []
    for xy in [*line_xy, None]:
        if xy is None:
            if len(segment) > 1:
                coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in segment)
                body.append(
                    f'<polyline points="{coords}" fill="none" stroke="{LINE}" stroke-width="2.5" '
                    'stroke-linejoin="round"/>'
                )
            segment = []
        else:
            segment.append(xy)
    for p, xy in zip(points, line_xy, strict=True):
        if xy is None or p.rate is None:  # the same months: a point exactly where there is a rate
            continue
        tip = _("%(year)d年%(month)d月：差评率 %(rate).1f%%（%(bad)s / %(count)s）") % {
            "year": p.year, "month": p.month, "rate": 100 * p.rate, "bad": p.bad, "count": p.count,
        }  # fmt: skip
        body.append(
            f'<circle cx="{xy[0]:.1f}" cy="{xy[1]:.1f}" r="4" fill="#fff" stroke="{LINE}" stroke-width="2">'
            f"<title>{escape(tip)}</title></circle>"
        )

    if not any(p.count for p in points):
        body.append(
            _text(
                left + plot_w / 2, top + plot_h / 2, _("暂无评价数据"), anchor="middle", size=15, fill=MUTED
            )
        )
    first, last = points[0], points[-1]
    desc = _("%(first)s至%(last)s每月评价数（柱）与差评率（折线）。") % {
        "first": _("%(year)d年%(month)d月") % {"year": first.year, "month": first.month},
        "last": _("%(year)d年%(month)d月") % {"year": last.year, "month": last.month},
    }
    return _svg(chart_id, width, height, title, desc, body, "trend")


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    note: str = ""  # shown after the value, e.g. "45.6%"
    colour: str = BAR


def hbar_chart(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    desc: str = "",
    label_width: int = 104,
    labels_above: bool = False,
    empty_text: str = "",
) -> SafeString:
    """Horizontal bars with their label on the left (or above, for long labels) and value on the right."""
    width = 560
    value_space = 128
    if not any(b.value for b in bars):
        message = _text(width / 2, 45, empty_text or _("暂无数据"), anchor="middle", size=14, fill=MUTED)
        return _svg(chart_id, width, 80, title, desc or title, [message], "bars")
    row = 46 if labels_above else 32
    top = 8
    height = top * 2 + row * max(len(bars), 1)
    start = 0 if labels_above else label_width
    span = width - start - value_space
    peak = max((b.value for b in bars), default=0) or 1
    body: list[str] = []
    for i, b in enumerate(bars):
        y = top + row * i
        bar_y = y + (22 if labels_above else 7)
        thickness = 16 if labels_above else 18
        label = b.label if len(b.label) <= 24 else b.label[:23] + "…"
        if labels_above:
            body.append(_text(0, y + 15, label, size=13))
        else:
            body.append(_text(label_width - 10, bar_y + 13.5, label, anchor="end", size=13))
        w = span * b.value / peak
        tip = f"{b.label}：{_number(b.value)}" + (f"（{b.note}）" if b.note else "")
        body.append(
            f'<rect x="{start}" y="{bar_y}" width="{span}" height="{thickness}" fill="{TRACK}" rx="2"/>'
        )
        body.append(
            f'<rect x="{start}" y="{bar_y}" width="{w:.1f}" height="{thickness}" '
            f'fill="{escape(b.colour)}" rx="2">'
            f"<title>{escape(tip)}</title></rect>"
        )
        value = _number(b.value) + (f"（{b.note}）" if b.note else "")
        body.append(_text(start + span + 8, bar_y + thickness - 4, value, size=12, weight="600"))
    return _svg(chart_id, width, height, title, desc or title, body, "bars")
