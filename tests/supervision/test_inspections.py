"""Inspection plans, visits and findings (51号 三(四) 政府部门"监督查评"; 青岛西海岸 (四): 专项督查、
社会监督员明查暗访): who may plan, who may file, and what each one sees."""

from datetime import timedelta

import pytest
from django.utils import timezone

from evaluations.models import Role
from supervision.models import Category, Finding, Inspection, Severity, Visit
from supervision.selectors import findings_for, inspections_for, visits_for
from supervision.services import SupervisionError
from supervision.services.inspections import finding_add, inspection_plan, visit_file

from .conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def _plan_kwargs(regions, **overrides):
    today = timezone.localdate()
    fields = {
        "subject": "专项督查",
        "kind": Inspection.Kind.SPECIAL,
        "region": regions["zhanggong"],
        "starts_on": today,
        "ends_on": today + timedelta(days=5),
    }
    return {**fields, **overrides}


def test_an_office_plans_inside_its_region_with_its_inspectors(owner, monitor, regions, org):
    plan = inspection_plan(
        by=owner, inspectors=[monitor, owner], halls=[org["zhanggong"]["hall"]], **_plan_kwargs(regions)
    )
    assert set(plan.inspectors.all()) == {monitor, owner}
    assert list(plan.halls.all()) == [org["zhanggong"]["hall"]]


def test_it_refuses_a_plan_outside_the_office_region(owner, monitor, regions):
    with pytest.raises(SupervisionError) as refused:
        inspection_plan(by=owner, inspectors=[owner], **_plan_kwargs(regions, region=regions["nankang"]))
    assert refused.value.field == "region"
    assert not Inspection.objects.exists()


def test_it_refuses_a_monitor_whose_scope_does_not_hold_the_plan(owner, other_monitor, regions):
    with pytest.raises(SupervisionError, match="监督范围不包含章贡区"):
        inspection_plan(by=owner, inspectors=[other_monitor], **_plan_kwargs(regions))
    assert not Inspection.objects.exists()


def test_it_refuses_a_plan_by_a_department_or_a_monitor(colleague, monitor, regions):
    for person in (colleague, monitor):
        with pytest.raises(SupervisionError, match="只有政务服务管理部门"):
            inspection_plan(by=person, inspectors=[monitor], **_plan_kwargs(regions))


def test_it_refuses_an_end_before_the_start_and_a_hall_outside(owner, monitor, regions, org):
    today = timezone.localdate()
    with pytest.raises(SupervisionError, match="结束日期"):
        inspection_plan(
            by=owner, inspectors=[monitor], **_plan_kwargs(regions, ends_on=today - timedelta(days=1))
        )
    with pytest.raises(SupervisionError, match="大厅不在督查区划内"):
        inspection_plan(
            by=owner, inspectors=[monitor], halls=[org["nankang"]["hall"]], **_plan_kwargs(regions)
        )


def test_only_an_assigned_inspector_files_a_visit_within_the_plan_dates(plan, owner, monitor):
    now = timezone.now()
    with pytest.raises(SupervisionError, match="不是本督查计划的督查人员"):
        visit_file(inspection=plan, by=owner, visited_at=now, mode="open", summary="x")
    with pytest.raises(SupervisionError) as late:
        visit_file(inspection=plan, by=monitor, visited_at=now + timedelta(days=30), mode="open", summary="x")
    assert late.value.field == "visited_at"
    with pytest.raises(SupervisionError, match="不能晚于现在"):
        visit_file(inspection=plan, by=monitor, visited_at=now + timedelta(hours=2), mode="open", summary="x")
    assert not Visit.objects.exists()


def test_a_finding_names_a_department_of_the_plan_region_and_its_own_matter(visit, monitor, org):
    far = org["nankang"]
    with pytest.raises(SupervisionError) as refused:
        finding_add(
            visit=visit,
            by=monitor,
            department=far["department"],
            category=Category.ATTITUDE,
            severity=Severity.MINOR,
            description="x",
        )
    assert refused.value.field == "department"
    near = org["zhanggong"]
    with pytest.raises(SupervisionError, match="事项不属于责任部门"):
        finding_add(
            visit=visit,
            by=monitor,
            department=near["department"],
            matter=far["matter"],
            category=Category.ATTITUDE,
            severity=Severity.MINOR,
            description="x",
        )
    finding = finding_add(
        visit=visit,
        by=monitor,
        department=near["department"],
        matter=near["matter"],
        category=Category.DISCIPLINE,
        severity=Severity.SERIOUS,
        description="窗口无人值守",
    )
    assert finding.window == near["window"]  # the visit's window when none is named


def test_only_the_visit_filer_adds_findings(visit, owner, org):
    with pytest.raises(SupervisionError, match="本人填报"):
        finding_add(
            visit=visit,
            by=owner,
            department=org["zhanggong"]["department"],
            category=Category.OTHER,
            severity=Severity.MINOR,
            description="x",
        )
    assert not Finding.objects.exists()


def test_a_monitor_sees_only_own_assignments_and_own_visits(plan, visit, monitor, owner, regions):
    other_plan = inspection_plan(by=owner, inspectors=[owner], **_plan_kwargs(regions, subject="另一个计划"))
    colleague_monitor = make_user("monitor2", Role.MONITOR, region=regions["city"])
    plan.inspectors.add(colleague_monitor)
    theirs = visit_file(
        inspection=plan, by=colleague_monitor, visited_at=timezone.now(), mode="open", summary="y"
    )
    assert list(inspections_for(monitor)) == [plan]
    assert list(visits_for(monitor)) == [visit]
    assert set(inspections_for(owner)) == {plan, other_plan}
    assert set(visits_for(owner)) == {visit, theirs}
    assert list(findings_for(colleague_monitor)) == []


def test_a_monitor_assigned_outside_their_region_still_sees_nothing(plan, other_monitor):
    plan.inspectors.add(other_monitor)  # by hand, past the planning check: the region scope still holds
    assert list(inspections_for(other_monitor)) == []


def test_pages_refuse_another_region_and_unassigned_monitors(
    client, plan, visit, monitor, other_monitor, outsider, colleague
):
    client.login(username=monitor.username, password=PASSWORD)
    assert client.get(f"/supervision/inspections/{plan.pk}/").status_code == 200
    assert client.get(f"/supervision/visits/{visit.pk}/").status_code == 200
    assert client.get("/supervision/inspections/new/").status_code == 403  # monitors do not plan
    assert client.get("/supervision/forums/new/").status_code == 403
    for person in (other_monitor, outsider):
        client.login(username=person.username, password=PASSWORD)
        assert client.get(f"/supervision/inspections/{plan.pk}/").status_code == 404
        assert client.get(f"/supervision/visits/{visit.pk}/").status_code == 404
        assert client.get(f"/supervision/inspections/{plan.pk}/visits/new/").status_code == 404
    client.login(username=colleague.username, password=PASSWORD)
    assert client.get("/supervision/").status_code == 403  # a department works on its orders


def test_a_visit_posted_outside_the_plan_dates_gets_the_error_beside_the_field(client, plan, monitor):
    client.login(username=monitor.username, password=PASSWORD)
    late = timezone.localtime() + timedelta(days=30)
    response = client.post(
        f"/supervision/inspections/{plan.pk}/visits/new/",
        {"visited_at": late.strftime("%Y-%m-%dT%H:%M"), "mode": "mystery", "summary": "走访"},
    )
    assert response.status_code == 400
    assert "走访日期须在督查计划的时间内" in response.content.decode()
    assert not Visit.objects.exists()
