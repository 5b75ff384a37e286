"""Rankings page, /reports/rankings/: one level, one period, within the reader's scope (DESIGN §5).

Everything is a GET parameter, so a ranking can be bookmarked and the page works without JavaScript:
``level``, ``period`` (YYYY-MM, YYYY-Qn, YYYY; default the last complete month), ``region_level``
(for level=region), ``sort`` (a column key, ``-`` first for descending) and ``detail=1`` (show every
figure's numerator / denominator).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from config.db_router import reads_from_replica
from evaluations.http import AuthedRequest
from evaluations.models import Grade

from ..access import readers_only
from ..period_field import PeriodField
from ..periods import Period
from ..rankings import LEVELS, Ranking, Row, Scope, build_ranking, scale_for

if TYPE_CHECKING:  # django-stubs-ext is a development dependency
    from django_stubs_ext import StrOrPromise

PAGE_SIZE = 100  # a province has thousands of staff: one page of a ranking at a time

REGION_LEVELS = [
    (1, _("省级")),
    (2, _("市级")),
    (3, _("县级")),
    (4, _("乡镇（街道）")),
    (5, _("村（社区）")),
]


@dataclass(frozen=True)
class Column:
    key: str
    label: "StrOrPromise"
    kind: str = ""  # "percent" / "points" for a figure; "" for the others
    descending_first: bool = True  # a figure's first click shows the best (highest) first


COLUMNS = [
    Column("rank", _("名次"), descending_first=False),
    Column("previous_rank", _("上期名次"), descending_first=False),
    Column("code", _("编码"), descending_first=False),
    Column("name", _("名称"), descending_first=False),
    Column("sample", _("样本数")),
    Column("held", _("暂缓计入")),  # flagged, not yet reviewed: not in the sample (evaluations/flags.py)
    Column("quality", _("服务质量"), "points"),
    Column("active_rate", _("主动评价率"), "percent"),
    Column("rectification_rate", _("差评整改率"), "percent"),
    Column("revisit_satisfaction", _("整改回访满意率"), "percent"),
    Column("composite", _("综合评分")),
    Column("good_rate", _("好评率"), "percent"),
    Column("bad_rate", _("差评率"), "percent"),
    Column("unevaluated_rate", _("未评率"), "percent"),
    Column("on_time_rate", _("按期整改率"), "percent"),
]
SORT_KEYS = {column.key for column in COLUMNS}


# A column's value for sorting: numbers for figures and places, text for code and name; None: no value.
SortValue = float | str | None


def _sort_value(key: str) -> Callable[[Row], SortValue]:
    if key in ("rank", "previous_rank", "sample", "held", "code", "name"):
        return lambda row: getattr(row, key)
    if key == "composite":
        return lambda row: row.composite
    return lambda row: getattr(row.figures, key).value


def sort_rows(rows: list[Row], sort: str) -> list[Row]:
    """Rows ordered by a column; rows without a value (0/0, unranked) always come last."""
    key = sort.lstrip("-")
    if not key or key not in SORT_KEYS:
        return rows
    value = _sort_value(key)
    present: list[tuple[float | str, Row]] = []
    missing: list[Row] = []
    for row in rows:
        row_value = value(row)
        if row_value is None:
            missing.append(row)
        else:
            present.append((row_value, row))
    present.sort(key=lambda pair: pair[1].code)  # ties keep the code order (the sort below is stable)
    present.sort(key=lambda pair: pair[0], reverse=sort.startswith("-"))
    return [row for _value, row in present] + missing


class RankingForm(forms.Form):
    level = forms.ChoiceField(
        label=_("排名对象"),
        choices=list(LEVELS.items()),
        required=False,
        error_messages={"invalid_choice": _("排名对象无效，请从列表中选择。")},
    )
    period = PeriodField(
        label=_("统计周期"),
        default=Period.last_complete_month,
        max_length=10,
        help_text=_("如 2026-10、2026-Q4、2026"),
        error_messages={
            "max_length": _("统计周期格式应为 YYYY-MM、YYYY-Qn 或 YYYY，例如 2026-10、2026-Q4、2026。")
        },
    )
    region_level = forms.TypedChoiceField(
        label=_("区划层级"),
        choices=[("", _("下一级（默认）")), *REGION_LEVELS],
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("区划层级应为 1 到 5。")},
    )
    sort = forms.CharField(required=False, widget=forms.HiddenInput)
    detail = forms.BooleanField(label=_("显示分子分母"), required=False)

    def clean_level(self) -> str:
        return self.cleaned_data["level"] or "department"

    def clean_sort(self) -> str:
        sort = self.cleaned_data["sort"].strip()
        return sort if sort.lstrip("-") in SORT_KEYS else ""  # an unknown column: the default order


def _query(params: dict, **changes) -> str:
    merged = {**params, **changes}
    return "?" + urlencode({key: value for key, value in merged.items() if value not in (None, "", False)})


def _headers(params: dict, sort: str) -> list[dict]:
    """Each column with the link that sorts by it (again: the other way round) and its aria-sort."""
    current, descending = sort.lstrip("-"), sort.startswith("-")
    headers = []
    for column in COLUMNS:
        if column.key == current:
            next_sort = column.key if descending else f"-{column.key}"
            state = "descending" if descending else "ascending"
        else:
            next_sort = f"-{column.key}" if column.descending_first else column.key
            state = ""
        if next_sort == "rank":
            next_sort = ""  # the default order
        headers.append({"column": column, "href": _query(params, sort=next_sort), "state": state})
    return headers


def _pages(page, params: dict, name: str, keep: dict) -> dict:
    """Links to the previous and next page of one of the two tables (the other keeps its page)."""
    links = {"page": page}
    if page.has_previous():
        links["previous"] = _query({**params, **keep}, **{name: page.previous_page_number()})
    if page.has_next():
        links["next"] = _query({**params, **keep}, **{name: page.next_page_number()})
    return links


@readers_only
@reads_from_replica
def rankings(request: AuthedRequest) -> HttpResponse:
    form = RankingForm(request.GET or None)
    ranking: Ranking | None = None
    context: dict = {"form": form, "columns": COLUMNS}
    if not request.GET or form.is_valid():
        data = form.cleaned_data if request.GET else {}
        level = data.get("level") or "department"
        period = data.get("period") or Period.last_complete_month()
        region_level = data.get("region_level") if level == "region" else None
        sort = data.get("sort") or ""
        scope = Scope.for_user(request.user)
        ranking = build_ranking(level, period, scope, scale_for(scope), region_level=region_level)
        params = {
            "level": level,
            "period": str(period),
            "region_level": region_level or "",
            "detail": "1" if data.get("detail") else "",
        }
        rows = Paginator(sort_rows(ranking.rows, sort), PAGE_SIZE).get_page(request.GET.get("page"))
        unranked = Paginator(sort_rows(ranking.unranked, sort), PAGE_SIZE).get_page(request.GET.get("upage"))
        here = {**params, "sort": sort}
        every = [*ranking.rows, *ranking.unranked]
        context.update(
            ranking=ranking,
            rows=rows,
            unranked=unranked,
            pages=_pages(rows, here, "page", {"upage": request.GET.get("upage", "")}),
            unranked_pages=_pages(unranked, here, "upage", {"page": request.GET.get("page", "")}),
            sort=sort,
            detail=bool(data.get("detail")),
            headers=_headers({**params, "sort": sort}, sort),
            detail_on=_query({**params, "sort": sort}, detail="1"),
            detail_off=_query({**params, "sort": sort}, detail=""),
            points=[(Grade(grade).label, ranking.scale.points[grade]) for grade in range(5, 0, -1)],
            held=sum(row.totals.held for row in every),
            ruled=sum(row.totals.ruled for row in every),
        )
    return render(request, "reporting/rankings/rankings.html", context)


urlpatterns = [path("rankings/", rankings, name="rankings")]
