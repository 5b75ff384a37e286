"""Reads of 监督查评: what each user may see (CONVENTIONS §4-5), and the period's results for the
dashboard and the circular.

An office, the auditor and a system administrator see everything in their region scope; a 社会监督员
sees only the plans they are assigned to, inside their region scope, and only their own visits.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from evaluations.days import local_day_bounds
from evaluations.models import Region, Role, User
from evaluations.scope import visible_to
from workorders.models import Source, WorkOrder

from .models import Assessment, Category, Finding, Forum, ForumIssue, Inspection, Severity, Visit


def _monitor(user: User) -> bool:
    return user.role == Role.MONITOR and not user.has_global_scope


def inspections_for(user: User) -> QuerySet[Inspection]:
    queryset = visible_to(user, Inspection.objects.select_related("region", "created_by"))
    return queryset.filter(inspectors=user) if _monitor(user) else queryset


def visits_for(user: User) -> QuerySet[Visit]:
    queryset = visible_to(
        user, Visit.objects.select_related("inspection", "inspection__region", "by", "hall", "window")
    )
    return queryset.filter(by=user, inspection__inspectors=user) if _monitor(user) else queryset


def findings_for(user: User) -> QuerySet[Finding]:
    queryset = visible_to(
        user,
        Finding.objects.select_related(
            "visit",
            "visit__inspection",
            "visit__by",
            "department",
            "window",
            "window__hall",
            "matter",
            "work_order",
        ),
    )
    return queryset.filter(visit__by=user, visit__inspection__inspectors=user) if _monitor(user) else queryset


def forums_for(user: User) -> QuerySet[Forum]:
    return (
        Forum.objects.none() if _monitor(user) else visible_to(user, Forum.objects.select_related("region"))
    )


def forum_issues_for(user: User) -> QuerySet[ForumIssue]:
    if _monitor(user):
        return ForumIssue.objects.none()
    return visible_to(user, ForumIssue.objects.select_related("forum", "department", "work_order"))


def assessments_for(user: User) -> QuerySet[Assessment]:
    return (
        Assessment.objects.none()
        if _monitor(user)
        else visible_to(user, Assessment.objects.select_related("region"))
    )


# --- the period's results -------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    count: int


@dataclass
class PeriodResults:
    plans: int = 0
    visits: int = 0
    findings: int = 0
    by_category: list[Line] = field(default_factory=list)
    by_severity: list[Line] = field(default_factory=list)
    forums: int = 0
    forum_issues: int = 0
    orders_opened: int = 0
    orders_closed: int = 0


def _lines(rows: dict[str, int], choices) -> list[Line]:
    return [Line(value, str(label), rows.get(value, 0)) for value, label in choices.choices]


def period_findings(region: Region | None, start: dt.date, end: dt.date) -> QuerySet[Finding]:
    """The findings of visits made in ``region``'s subtree from ``start`` to ``end``, oldest first."""
    low, high = local_day_bounds(start, end)
    return (
        Finding.objects.filter(
            visit__inspection__region__path__startswith=region.path if region is not None else "",
            visit__visited_at__gte=low,
            visit__visited_at__lt=high,
        )
        .select_related("visit__inspection", "department", "window", "work_order")
        .order_by("visit__visited_at", "pk")
    )


def period_results(region: Region | None, start: dt.date, end: dt.date) -> PeriodResults:
    """监督查评 in ``region``'s subtree (None: everywhere) from ``start`` to ``end`` (inclusive): plans
    running in the period, visits and their findings (by category and severity), forums held, and the
    work orders of source 监督查评 opened and closed in it (by the office region of the order)."""
    low, high = local_day_bounds(start, end)
    path = region.path if region is not None else ""
    plans = Inspection.objects.filter(region__path__startswith=path, starts_on__lte=end, ends_on__gte=start)
    visits = Visit.objects.filter(
        inspection__region__path__startswith=path, visited_at__gte=low, visited_at__lt=high
    )
    findings = Finding.objects.filter(visit__in=visits.values("pk"))
    forums = Forum.objects.filter(region__path__startswith=path, held_on__gte=start, held_on__lte=end)
    orders = WorkOrder.objects.filter(
        source=Source.SUPERVISION, office_region__path__startswith=path
    ).aggregate(
        opened=Count("pk", filter=Q(created_at__gte=low, created_at__lt=high)),
        closed=Count("pk", filter=Q(closed_at__gte=low, closed_at__lt=high)),
    )
    by_category = dict(findings.values_list("category").annotate(n=Count("pk")).order_by())
    by_severity = dict(findings.values_list("severity").annotate(n=Count("pk")).order_by())
    return PeriodResults(
        plans=plans.count(),
        visits=visits.count(),
        findings=sum(by_category.values()),
        by_category=_lines(by_category, Category),
        by_severity=_lines(by_severity, Severity),
        forums=forums.count(),
        forum_issues=ForumIssue.objects.filter(forum__in=forums.values("pk")).count(),
        orders_opened=orders["opened"],
        orders_closed=orders["closed"],
    )
