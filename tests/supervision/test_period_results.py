"""period_results(region, start, end): 监督查评 results for the dashboard and the circular (issue 16 §1:
"Supervision results appear on the dashboard and in the circular")."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from reporting.circulars.service import circular_generate
from reporting.periods import Period
from supervision.models import Category, Forum, Inspection, Severity
from supervision.selectors import period_results
from supervision.services.forums import forum_record
from supervision.services.inspections import finding_add, inspection_plan, visit_file
from supervision.services.rectification import rectification_open
from workorders.models import State, WorkOrder

from .conftest import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


@pytest.fixture
def november(owner, monitor, org, regions):
    """A plan of November with a visit on 10 November (2 findings, one turned into an order) and one on
    2 December; an October plan; a forum on 20 November."""
    with time_machine.travel(_at(date(2026, 12, 3)), tick=False):
        plan = inspection_plan(
            by=owner,
            subject="十一月暗访",
            kind=Inspection.Kind.MYSTERY,
            region=regions["zhanggong"],
            starts_on=date(2026, 11, 1),
            ends_on=date(2026, 12, 5),
            inspectors=[monitor],
        )
        inspection_plan(
            by=owner,
            subject="十月督查",
            kind=Inspection.Kind.SPECIAL,
            region=regions["zhanggong"],
            starts_on=date(2026, 10, 1),
            ends_on=date(2026, 10, 31),
            inspectors=[owner],
        )
        department = org["zhanggong"]["department"]
        first = visit_file(
            inspection=plan, by=monitor, visited_at=_at(date(2026, 11, 10)), mode="mystery", summary="a"
        )
        later = visit_file(
            inspection=plan, by=monitor, visited_at=_at(date(2026, 12, 2)), mode="open", summary="b"
        )
        findings = [
            finding_add(
                visit=first, by=monitor, department=department, category=c, severity=s, description="x"
            )
            for c, s in ((Category.ATTITUDE, Severity.SERIOUS), (Category.ATTITUDE, Severity.MINOR))
        ]
        finding_add(
            visit=later,
            by=monitor,
            department=department,
            category=Category.OTHER,
            severity=Severity.GRAVE,
            description="y",
        )
        forum_record(
            by=owner,
            title="座谈",
            kind=Forum.Kind.MEMBERS,
            region=regions["zhanggong"],
            held_on=date(2026, 11, 20),
            attendees="委员",
            issues=[(department, "问题", "")],
        )
    with time_machine.travel(_at(date(2026, 11, 11)), tick=False):
        order = rectification_open(findings[0], by=owner, category="general")
    WorkOrder.objects.filter(pk=order.pk).update(state=State.CLOSED, closed_at=_at(date(2026, 11, 25)))
    return plan


def test_it_counts_the_month_in_the_region(november, regions):
    results = period_results(regions["zhanggong"], *NOVEMBER)
    assert (results.plans, results.visits, results.findings) == (1, 1, 2)
    assert {line.key: line.count for line in results.by_category}["attitude"] == 2
    assert {line.key: line.count for line in results.by_severity} == {"minor": 1, "serious": 1, "grave": 0}
    assert (results.forums, results.forum_issues) == (1, 1)
    assert (results.orders_opened, results.orders_closed) == (1, 1)


def test_the_city_holds_the_district_and_another_district_holds_nothing(november, regions):
    assert period_results(regions["city"], *NOVEMBER).findings == 2
    assert period_results(None, *NOVEMBER).plans == 1
    other = period_results(regions["nankang"], *NOVEMBER)
    assert (other.plans, other.visits, other.findings, other.orders_opened) == (0, 0, 0, 0)


def test_december_has_the_later_visit_only(november, regions):
    results = period_results(regions["zhanggong"], date(2026, 12, 1), date(2026, 12, 31))
    assert (results.plans, results.visits, results.findings, results.orders_opened) == (1, 1, 1, 0)
    assert {line.key: line.count for line in results.by_severity}["grave"] == 1


def test_the_dashboard_shows_the_month_of_supervision(client, november, owner):
    with time_machine.travel(_at(date(2026, 12, 3)) + timedelta(hours=1), tick=True):
        # Log in at that moment too: a session opened on TEST_TODAY would have expired by then.
        client.login(username=owner.username, password=PASSWORD)
        response = client.get("/reports/?period=2026-11")
    html = response.content.decode()
    panel = html[html.index('id="dash-sv-h"') :]
    assert "监督查评" in panel
    assert 'data-figure="findings">2<' in panel and 'data-figure="orders_opened">1<' in panel


def test_the_circular_draft_carries_the_month_of_supervision(november, regions, owner):
    """Issue 16 §1: "Supervision results appear … in the circular" — the 赣州市 draft for November holds
    the district's findings, the order one of them opened, and nothing of December's visit."""
    with time_machine.travel(_at(date(2026, 12, 3)), tick=False):
        circular = circular_generate(region=regions["city"], period=Period.parse("2026-11"), by=owner)
    section = circular.data["supervision"]
    lines = {line["label"]: line["value"] for line in section["lines"]}
    assert (lines["督查计划"], lines["走访（明查暗访）"], lines["发现问题"]) == (1, 1, 2)
    assert (lines["座谈会"], lines["座谈会反映问题"]) == (1, 1)
    assert (lines["转为整改工单"], lines["监督查评工单办结"]) == (1, 1)
    order = WorkOrder.objects.get()
    assert [finding["order"] for finding in section["findings"]] == [order.number, None]
    assert section["findings_total"] == 2
    with time_machine.travel(_at(date(2026, 12, 3)), tick=False):
        other = circular_generate(region=regions["nankang"], period=Period.parse("2026-11"), by=owner)
    assert other.data["supervision"]["findings"] == []
