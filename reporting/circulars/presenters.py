"""What the circular's page shows, read from its frozen JSON (the page and the print are one)."""

import datetime as dt

from django.utils.translation import gettext as _

from evaluations.http import AuthedRequest
from evaluations.models import Grade
from evaluations.scope import visible_to
from reporting.models import Circular, CircularState

from ..access import CIRCULAR_ISSUERS, has_role
from ..periods import Period
from ..rankings import LEVELS
from .chain import closing_digest
from .labels import rate_definitions, rate_labels, weight_labels
from .lookup import is_own_office
from .snapshot import CIRCULAR_LEVELS


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def _summary_row(key: str, label: str, figure: dict | None) -> dict:
    figure = figure or {"num": 0, "den": 0, "value": None}
    value = figure.get("value")
    if value is None:
        shown = "—"
    elif key == "quality":
        shown = _("%(points).2f 分") % {"points": value}
    else:
        shown = f"{100 * value:.1f}%"
    return {
        "key": key,
        "label": label,
        "definition": rate_definitions()[key],
        "figure": figure,
        "shown": shown,
        "num": _number(figure.get("num")),
        "den": _number(figure.get("den")),
    }


def _levels(circular: Circular) -> list[dict]:
    rankings = circular.data.get("rankings", {})
    levels = [level for level in CIRCULAR_LEVELS if level in rankings]
    return [{"key": level, "label": LEVELS[level], **rankings[level]} for level in levels]


def cut_off(circular: Circular) -> dt.datetime:
    """The moment the open orders were read (circulars older than drafts: their generation)."""
    text = circular.data.get("cut_off")
    return dt.datetime.fromisoformat(text) if text else circular.created_at


def detail_context(request: AuthedRequest, circular: Circular, **extra) -> dict:
    summary = circular.data.get("summary", {})
    period = Period.parse(circular.period)
    # Generated before the day's digest was written (or before the chain): the digest is append-only, so
    # reading it now shows what it was then.
    chain = circular.data.get("chain") or closing_digest(period)
    weights, points = circular.policy.get("weights", {}), circular.policy.get("points", {})
    may_change = has_role(request.user, CIRCULAR_ISSUERS) and is_own_office(request, circular)
    correction = Circular.objects.filter(corrects=circular).only("pk", "version", "state").first()
    return {
        "circular": circular,
        "states": CircularState,
        "period_label": period.label,
        "chain": chain,
        "summary": summary,
        "figures": [_summary_row(key, label, summary.get(key)) for key, label in rate_labels()],
        "levels": _levels(circular),
        "open_orders": circular.data.get("open_orders"),
        "hotspots": circular.data.get("hotspots"),
        "supervision": circular.data.get("supervision"),
        "has_draft_sections": "open_orders" in circular.data,
        "cut_off": cut_off(circular),
        "policy": circular.policy,
        "weights": [(label, weights.get(key)) for key, label in weight_labels()],
        "points": [(Grade(grade).label, points.get(str(grade))) for grade in range(5, 0, -1)],
        "can_issue": may_change,
        "correction": correction,
        "other_versions": visible_to(request.user, Circular.objects.all())
        .filter(region=circular.region, period=circular.period)
        .exclude(pk=circular.pk)
        .order_by("-version"),
        **extra,
    }
