"""The rating entry page and 综合点评 in a real Chromium, as a 12345 agent uses them."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from evaluations import demo_data as data
from evaluations.demo_data import DEMO_PASSWORD
from evaluations.models import Evaluation, ServiceMatter, ServiceRecord
from evaluations.services.records import RecordData, record_upsert

from ..helpers import login, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.calendar,
]


@pytest.fixture
def demo_with_cases(transactional_db) -> None:
    call_command("seed_demo", months=1, verbosity=0)


def phoned_in_case() -> ServiceRecord:
    """An online case of the demo's city completed an hour ago: open for rating on any day."""
    matters = ServiceMatter.objects.filter(department__region__code=data.CITY[0], consultation_only=False)
    matter = matters.order_by("code").first()
    now = timezone.now()
    fields = RecordData(
        matter_code=matter.code,
        department_code=matter.department.code,
        region_code=matter.department.region.code,
        channel="online",
        status="completed",
        accepted_at=now - timedelta(hours=2),
        completed_at=now - timedelta(hours=1),
        applicant_type="person",
        applicant_name="李四",
        applicant_phone="13912345678",
    )
    record, _created = record_upsert(serial_no="DESK-PHONE-0001", data=fields)
    return record


def test_an_agent_enters_a_bad_phone_rating_and_sees_the_reason_rule(page, live_server, demo_with_cases):
    record = phoned_in_case()
    login(page, live_server, "hotline", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/desk/entry/")
    page.get_by_label("办件编号").fill(record.serial_no)
    page.get_by_label("非常不满意").check()
    page.get_by_role("button", name="提交评价").click()
    assert page.get_by_text("请至少选择一个标签或填写评价内容").is_visible()
    screenshot(page, "desk-entry-error")
    page.get_by_label("多头跑窗口和部门").check()
    page.get_by_role("button", name="提交评价").click()
    assert page.get_by_text(f"已录入：{record.serial_no}").is_visible()
    evaluation = Evaluation.objects.get(record=record, kind="active")
    assert (evaluation.grade, evaluation.channel, evaluation.tags) == (1, "phone", ["M1-06"])
    screenshot(page, "desk-entry-done")


def test_an_agent_registers_feedback_for_a_department(page, live_server, demo_with_cases):
    login(page, live_server, "hotline", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/desk/feedback/new/")
    page.get_by_label("来源").select_option(label="热线电话")
    page.get_by_label("被点评部门").select_option(label="赣州市公安局")
    page.get_by_label("点评内容").fill("户籍窗口中午能否不停办？")
    page.get_by_role("button", name="登记").click()
    assert page.get_by_text("综合点评已登记").is_visible()
    assert page.get_by_role("cell", name="户籍窗口中午能否不停办？").is_visible()
    screenshot(page, "desk-feedback-list")
