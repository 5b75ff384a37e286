"""转为整改工单 (issue 16 §1 "Findings become rectification"; 51号 三(四) with 四(二) 差评整改): a finding
or a forum issue opens one work order of source 监督查评 with no rating, in the finding's department, by
the office only, and only once."""

from datetime import date

import pytest
from django.utils import timezone

from supervision.models import Category, Finding, Forum, Severity
from supervision.services import SupervisionError
from supervision.services.forums import forum_record
from supervision.services.inspections import finding_add
from supervision.services.rectification import rectification_open
from workorders.models import Category as OrderCategory
from workorders.models import Source, State, WorkOrder

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def finding(visit, monitor, org) -> Finding:
    return finding_add(
        visit=visit,
        by=monitor,
        department=org["zhanggong"]["department"],
        category=Category.DISCIPLINE,
        severity=Severity.SERIOUS,
        description="窗口工作人员离岗。",
    )


def test_a_finding_opens_one_supervision_order_of_its_department(finding, owner, org, regions):
    order = rectification_open(finding, by=owner, category=OrderCategory.SIMPLE)
    finding.refresh_from_db()
    assert finding.work_order == order and finding.converted_by == owner
    assert order.source == Source.SUPERVISION and order.evaluation is None
    assert order.department == org["zhanggong"]["department"]
    assert order.office_region == regions["zhanggong"]
    assert order.state == State.CREATED and order.category == OrderCategory.SIMPLE
    assert order.number.startswith("JC")
    assert "窗口工作人员离岗。" in order.summary and "窗口服务暗访" in order.summary


def test_the_second_time_is_refused_and_opens_nothing(finding, owner):
    first = rectification_open(finding, by=owner, category=OrderCategory.GENERAL)
    with pytest.raises(SupervisionError, match=f"已于 .* 转为整改工单 {first.number}"):
        rectification_open(finding, by=owner, category=OrderCategory.GENERAL)
    assert WorkOrder.objects.count() == 1


def test_only_an_office_converts(finding, monitor, colleague):
    for person in (monitor, colleague):
        with pytest.raises(SupervisionError):
            rectification_open(finding, by=person, category=OrderCategory.GENERAL)
    assert not WorkOrder.objects.exists()


def test_the_page_button_converts_once_and_a_monitor_is_refused(client, finding, owner, monitor):
    url = f"/supervision/findings/{finding.pk}/order/"
    client.login(username=monitor.username, password=PASSWORD)
    assert client.post(url, {"category": "general"}).status_code == 403
    client.login(username=owner.username, password=PASSWORD)
    page = client.post(url, {"category": "general"}, follow=True)
    number = WorkOrder.objects.get().number
    assert f"已转为整改工单 {number}" in page.content.decode()
    again = client.post(url, {"category": "general"}, follow=True)
    assert f"转为整改工单 {number}" in again.content.decode() and "已于" in again.content.decode()
    assert WorkOrder.objects.count() == 1


def test_a_forum_issue_becomes_an_order_the_same_way(owner, org, regions):
    forum = forum_record(
        by=owner,
        title="人大代表政协委员座谈会",
        kind=Forum.Kind.JOINT,
        region=regions["zhanggong"],
        held_on=date(2026, 11, 3),
        attendees="区人大代表 3 名、区政协委员 2 名",
        issues=[(org["zhanggong"]["department"], "个体户登记材料要求不一致。", "李代表")],
    )
    issue = forum.issues.get()
    order = rectification_open(issue, by=owner, category=OrderCategory.COMPLEX)
    issue.refresh_from_db()
    assert issue.work_order == order and order.source == Source.SUPERVISION
    assert "李代表反映：个体户登记材料要求不一致。" in order.summary
    assert issue.converted_at <= timezone.now()


def test_a_forum_issue_outside_the_forum_region_writes_nothing(owner, org, regions):
    with pytest.raises(SupervisionError, match="不在座谈会所属区划内"):
        forum_record(
            by=owner,
            title="座谈会",
            kind=Forum.Kind.DEPUTIES,
            region=regions["zhanggong"],
            held_on=date(2026, 11, 3),
            attendees="代表",
            issues=[(org["nankang"]["department"], "x", "")],
        )
    assert not Forum.objects.exists()
