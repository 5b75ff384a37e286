"""The public disclosure pages (好差评专区, Tianjin art. 24): published circulars, no login. A withdrawn
circular stays readable, marked withdrawn with its reason; its correction, once published, is shown instead.

The pages carry no user data at all (they never read the session), so a shared cache may keep them
for five minutes.
"""

from typing import Any, TypedDict

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from config.db_router import reads_from_replica
from evaluations.models import Department, Region
from reporting.models import Circular, CircularState

from ..circulars.labels import rate_definitions
from . import selectors
from .throttle import throttled

PUBLIC_CACHE = cache_control(public=True, max_age=300)
PAGE_SIZE = 20

# The figures Tianjin art. 24 publishes, plus the rectification and revisit rates of art. 23.
PUBLIC_FIGURES = ("good_rate", "bad_rate", "unevaluated_rate", "active_rate", "rectification_rate",
                  "revisit_satisfaction")  # fmt: skip


class DepartmentMonth(TypedDict):
    """One month of a department's page: its row in the circular of the nearest region that ranks it."""

    circular: Circular
    label: str
    row: dict[str, Any]  # the row as the circular stored it (JSON)
    ranked: int  # how many departments that circular ranked


def _figure_labels() -> dict[str, str]:
    return {
        "good_rate": _("好评率"),
        "bad_rate": _("差评率"),
        "unevaluated_rate": _("未评率"),
        "active_rate": _("主动评价率"),
        "rectification_rate": _("差评整改率"),
        "revisit_satisfaction": _("整改回访满意率"),
    }


def _cards(figures: dict) -> list[dict]:
    labels, definitions = _figure_labels(), rate_definitions()
    return [
        {"key": key, "label": labels[key], "figure": figures.get(key), "definition": definitions[key]}
        for key in PUBLIC_FIGURES
    ]


def _rows(ranking: dict | None) -> list[dict]:
    ranking = ranking or {}
    return [*ranking.get("rows", []), *ranking.get("unranked", [])]


@require_safe
@throttled
@PUBLIC_CACHE
@reads_from_replica
def index(request: HttpRequest) -> HttpResponse:
    latest = selectors.regions_with_circulars()
    entries = [{"circular": c, "period_label": selectors.period_label(c)} for c in latest]
    return render(request, "public/index.html", {"entries": entries})


@require_safe
@throttled
@PUBLIC_CACHE
@reads_from_replica
def region(request: HttpRequest, code: str) -> HttpResponse:
    found = Region.objects.filter(code=code).first()
    circulars = selectors.region_circulars(found) if found else []
    if found is None or not circulars:
        raise Http404(_("该区划没有公开的“好差评”通报。"))
    shown = next((c for c in circulars if c.period == request.GET.get("period")), circulars[0])
    versions = selectors.month_versions(found, shown.period)
    # An older version of the month, by its number: the history stays readable, marked withdrawn.
    chosen = next((c for c in versions if str(c.version) == request.GET.get("version")), shown)
    rankings = chosen.data.get("rankings", {})
    subregions = _rows(rankings.get("region"))
    context = {
        "region": found,
        "circular": chosen,
        "shown": shown,
        "versions": versions if len(versions) > 1 or chosen.state == CircularState.WITHDRAWN else [],
        "withdrawn": chosen.state == CircularState.WITHDRAWN,
        "replaced_by": shown if shown.pk != chosen.pk and shown.state == CircularState.PUBLISHED else None,
        "period_label": selectors.period_label(chosen),
        "months": [(c.period, selectors.period_label(c)) for c in circulars],
        "summary": chosen.data.get("summary", {}),
        "cards": _cards(chosen.data.get("summary", {})),
        "departments": _rows(rankings.get("department")),
        "subregions": subregions,
        "linked_regions": selectors.published_region_codes([row["code"] for row in subregions]),
        "policy": chosen.policy,
    }
    return render(request, "public/region.html", context)


@require_safe
@throttled
@PUBLIC_CACHE
@reads_from_replica
def department(request: HttpRequest, code: str) -> HttpResponse:
    found = Department.objects.select_related("region").filter(code=code).first()
    circulars = selectors.department_circulars(found) if found else []
    if found is None or not circulars:
        raise Http404(_("该部门没有公开的“好差评”数据。"))
    months: list[DepartmentMonth] = []
    for circular in circulars:
        row, ranked = selectors.department_row(circular, found.code)
        if row is not None:
            label = selectors.period_label(circular)
            months.append(DepartmentMonth(circular=circular, label=label, row=row, ranked=ranked))
    latest = months[0]
    first, last = selectors.covered_days(circulars)
    paginator = Paginator(selectors.department_bad_reviews(found, first, last), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "department": found,
        "latest": latest,
        "cards": _cards(latest["row"]["figures"]),
        "months": months,
        "page": page,
        "reviews": selectors.public_reviews(list(page.object_list)),
    }
    return render(request, "public/department.html", context)
