"""What can be ranked (the levels), and summing rollup rows per unit of a level within a scope."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, CharField, F, Func, IntegerField, QuerySet, Sum, Value, When
from django.utils.translation import gettext_lazy as _

from config.db_router import read_cursor
from evaluations.models import Department, Hall, Region, ServiceMatter, Staff, User, Window
from evaluations.scope import region_path_of
from reporting.models import DailyRollup, DepartmentMonthly, Measures

from ..periods import Period
from ..scoring import Totals

LEVELS = {
    "region": _("区划"),
    "department": _("部门"),
    "hall": _("大厅"),
    "window": _("窗口"),
    "staff": _("工作人员"),
    "matter": _("事项"),
}


@dataclass(frozen=True)
class Scope:
    """Whose figures may be read: a region subtree (None = all) and, for a department user, one department."""

    region_path: str | None = None
    department_id: int | None = None
    empty: bool = False

    @classmethod
    def for_user(cls, user: User) -> "Scope":
        """The same scope evaluations.scope.visible_to() applies to every list."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return cls(empty=True)
        if user.has_global_scope:
            return cls()
        path = region_path_of(user)
        if path is None:
            return cls(empty=True)
        return cls(region_path=path, department_id=user.department_id)

    @classmethod
    def for_region(cls, region: Region | None) -> "Scope":
        return cls(region_path=region.path if region else None)

    @property
    def depth(self) -> int:
        """The level of the scope's own region (0 = the whole country)."""
        return len([code for code in (self.region_path or "").split("/") if code])

    def filter(self, queryset: QuerySet) -> QuerySet:
        if self.empty:
            return queryset.none()
        if self.region_path:
            queryset = queryset.filter(region__path__startswith=self.region_path)
        if self.department_id:
            queryset = queryset.filter(department_id=self.department_id)
        return queryset


@dataclass(frozen=True)
class Unit:
    key: object
    code: str
    name: str


def _region_key(region_level: int) -> Func:
    # path "/<province>/<city>/…/": its (level + 1)-th "/"-separated part is the ancestor at that level.
    return Func(
        F("region__path"),
        Value("/"),
        Value(region_level + 1),
        function="split_part",
        output_field=CharField(),
    )


_KEYS = {
    "department": F("department_id"),
    "hall": F("hall_id"),
    "window": F("window_id"),
    "staff": F("staff_id"),
    "matter": F("matter_id"),
}


def _unit_rows(level: str, first: dt.date, last: dt.date, scope: Scope, region_level: int | None) -> QuerySet:
    """The rollup rows of the days first..last in ``scope``, each annotated with the ``key`` of its unit."""
    rows: QuerySet[DepartmentMonthly] | QuerySet[DailyRollup]
    if level in ("region", "department"):
        rows = DepartmentMonthly.objects.filter(month__gte=first, month__lte=last)
    else:
        daily = DailyRollup.objects.filter(day__gte=first, day__lte=last)
        if level == "matter":
            daily = daily.filter(target="matter")  # a matter is judged by ratings of it, not of the staff
        rows = daily
    key: Func | F
    if level == "region":
        assert region_level is not None  # build_ranking() picks one for level=region
        key = _region_key(region_level)
    else:
        key = _KEYS[level]
    keyed = scope.filter(rows).annotate(key=key).exclude(key__isnull=True)
    return keyed.exclude(key="") if level == "region" else keyed


def totals_by_unit(
    level: str, period: Period, scope: Scope, *, region_level: int | None = None
) -> dict[object, Totals]:
    """Summed counts per unit of ``level`` over ``period`` within ``scope``, read from the rollups only."""
    return totals_by_unit_over(level, [period], scope, region_level=region_level)[0]


def totals_by_unit_over(
    level: str, periods: list[Period], scope: Scope, *, region_level: int | None = None
) -> list[dict[object, Totals]]:
    """``totals_by_unit`` of each of ``periods`` (adjacent ones: a ranking and its previous periods), in
    one query: one round trip and one plan instead of one per period."""
    day = "month" if level in ("region", "department") else "day"
    slot = Case(
        *(
            When(**{f"{day}__gte": p.first, f"{day}__lte": p.last}, then=Value(i))
            for i, p in enumerate(periods)
        ),
        output_field=IntegerField(),
    )
    first, last = min(p.first for p in periods), max(p.last for p in periods)
    sums = _unit_rows(level, first, last, scope, region_level).annotate(slot=slot).values("slot", "key")
    sums = sums.annotate(**{m: Sum(m) for m in Measures.MEASURES}).order_by()
    # Thousands of rows of sixteen integers: read them as plain tuples, without per-value converters.
    # A group always has rows and the measures are NOT NULL, so no sum is NULL.
    sql, params = sums.query.sql_with_params()
    found: list[dict[object, Totals]] = [{} for _ in periods]
    with read_cursor(sums.model) as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            if row[0] is not None:  # a row between the periods (they are adjacent: none)
                found[row[0]][row[1]] = Totals(*row[2:])
    return found


def unit_keys(level: str, period: Period, scope: Scope, *, region_level: int | None = None) -> QuerySet:
    """The keys of the units that have rows, as a subquery (for describe())."""
    return _unit_rows(level, period.first, period.last, scope, region_level).values("key")


def describe(level: str, keys) -> dict[object, Unit]:
    """Code and display name of each unit key; ``keys`` is a list or a subquery (see unit_keys())."""
    if level == "region":
        return {r.code: Unit(r.code, r.code, r.name) for r in Region.objects.filter(code__in=keys)}
    if level == "department":
        rows = Department.objects.filter(pk__in=keys).values_list("pk", "code", "name")
        return {pk: Unit(pk, code, name) for pk, code, name in rows}
    if level == "hall":
        return {h.pk: Unit(h.pk, h.code, h.name) for h in Hall.objects.filter(pk__in=keys)}
    if level == "window":
        windows = Window.objects.filter(pk__in=keys).select_related("hall")
        return {w.pk: Unit(w.pk, w.code, f"{w.hall.name} · {w.name}") for w in windows}
    if level == "staff":
        staff = Staff.objects.filter(pk__in=keys).select_related("department")
        return {s.pk: Unit(s.pk, s.staff_no, f"{s.name}（{s.department.name}）") for s in staff}
    matters = ServiceMatter.objects.filter(pk__in=keys)
    return {m.pk: Unit(m.pk, m.code, m.name) for m in matters}
