"""Tianjin art. 12-15 and the follow-up rating (追评) in a real Chromium: the case link at phone width for a
batch, a joint-approval case at intake, a theme and an online consultation, and the clerk's window page
offering the intake rating and the 追评 on the evaluator. Screenshots under test-artifacts/."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from evaluations.models import Evaluation, Role, ServiceMatter, User
from evaluations.tokens import case_token

from ..helpers import docs_screenshot, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("own_counters"),
]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(page, live_server):
    page.set_viewport_size(PHONE)
    return page


def open_case(page, live_server, record) -> None:
    page.goto(f"{live_server.url}{reverse('citizen:case_rate', kwargs={'token': case_token(record)})}")


def fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_tianjin_art12_a_bad_batch_rating_then_its_follow_up(phone, live_server, make_record):
    batch = [make_record(batch_no="B-BR") for _ in range(3)]
    open_case(phone, live_server, batch[0])
    expect(phone.get_by_role("heading", name="您对本次办理满意吗？")).to_be_visible()
    phone.locator("#matter-grade").get_by_label("不满意", exact=True).check()
    groups = phone.locator("#matter-tags .c-tag-group:visible .c-tag-heading")
    expect(groups).to_have_text(["不满意对服务事项", "不满意对服务人员"])
    visible = phone.locator("#matter-tags .c-tag-group:visible")
    visible.nth(0).locator(".c-tag label").first.click()  # a matter tag only
    phone.get_by_role("button", name="提交评价").click()
    error = phone.locator("#matter-tags .c-error")
    expect(error).to_contain_text("请分别选择对工作人员和对办理事项的具体差评内容")
    fits_the_phone(phone)
    docs_screenshot(phone, "citizen-batch-bad-each")
    visible.nth(1).locator(".c-tag label").first.click()  # and one about the clerk
    phone.get_by_role("button", name="提交评价").click()
    expect(phone.get_by_role("heading", name="感谢您的评价")).to_be_visible()
    assert Evaluation.objects.count() == 6  # clerk and matter of each of the three cases

    phone.get_by_role("link", name="追加评价").click()
    expect(phone.get_by_role("heading", name="追加评价（追评）")).to_be_visible()
    expect(phone.locator(".c-first")).to_contain_text("不满意")
    fits_the_phone(phone)
    docs_screenshot(phone, "citizen-follow-up")
    phone.locator("#followup-grade").get_by_label("满意", exact=True).check()
    phone.get_by_role("button", name="提交追评").click()
    expect(phone.get_by_role("heading", name="感谢您的评价")).to_be_visible()
    assert Evaluation.objects.filter(record=batch[0], assess_number=2).get().grade == 4
    open_case(phone, live_server, batch[0])
    # The matter has had its one follow-up; the clerk, left out of it, may still have theirs.
    expect(phone.get_by_role("heading", name="追加评价：工作人员", exact=True)).to_be_visible()
    expect(phone.get_by_role("heading", name="追加评价：办理结果")).to_have_count(0)


def test_tianjin_art13_the_receipt_link_of_a_joint_case_at_intake(phone, live_server, make_record, org):
    record = make_record(
        status="accepted",
        completed_at=None,
        accepted_at=timezone.now() - timedelta(minutes=15),
        joint_department_codes=[org["nankang"]["department"].code],
    )
    open_case(phone, live_server, record)
    expect(phone.get_by_role("heading", name="请您评价收件服务")).to_be_visible()
    fits_the_phone(phone)
    docs_screenshot(phone, "citizen-joint-intake")
    phone.locator("#intake-grade").get_by_label("非常满意", exact=True).check()
    phone.get_by_role("button", name="提交评价").click()
    expect(phone.get_by_role("heading", name="感谢您的评价")).to_be_visible()
    assert Evaluation.objects.get().stage == "intake"


def test_tianjin_art14_and_art15_the_theme_choice_and_the_consultation_notice(
    phone, live_server, make_record, org
):
    other = ServiceMatter.objects.create(
        code="M-br-2", name="食品经营许可", department=org["zhanggong"]["department"]
    )
    theme = make_record(theme_no="T-BR")
    make_record(theme_no="T-BR", matter_code=other.code)
    open_case(phone, live_server, theme)
    expect(phone.get_by_text("本办件属于主题业务")).to_be_visible()
    expect(phone.get_by_label("只评价本事项")).to_be_visible()
    fits_the_phone(phone)
    docs_screenshot(phone, "citizen-theme-choice")

    consultation = ServiceMatter.objects.create(
        code="M-br-q", name="政策咨询", department=org["zhanggong"]["department"], consultation_only=True
    )
    online = make_record(matter_code=consultation.code, channel="online", window_code=None)
    open_case(phone, live_server, online)
    expect(phone.get_by_role("heading", name="本业务不进行评价")).to_be_visible()
    docs_screenshot(phone, "citizen-consultation-not-rated")


@pytest.mark.usefixtures("ten_in_the_morning")  # "today's cases": not just after midnight
def test_51hao_the_clerk_offers_the_intake_rating_and_the_follow_up(page, live_server, make_record, org):
    user = User.objects.create_user(
        "clerk_br",
        password="pw-for-tests-1",
        role=Role.WINDOW_STAFF,
        department=org["zhanggong"]["department"],
    )
    staff = org["zhanggong"]["staff"]
    staff.user = user
    staff.save(update_fields=["user"])
    now = timezone.now()
    rated = make_record(completed_at=now - timedelta(minutes=40), accepted_at=now - timedelta(hours=1))
    Evaluation.objects.create(
        record=rated, target="matter", stage="completion", grade=4, channel="device", matter=rated.matter,
        staff=staff, window=rated.window, department=rated.department, region=rated.region, rated_at=now,
    )  # fmt: skip
    make_record(completed_at=now - timedelta(minutes=10), accepted_at=now - timedelta(minutes=30))
    make_record(
        status="accepted",
        completed_at=None,
        accepted_at=now - timedelta(minutes=5),
        joint_department_codes=[org["nankang"]["department"].code],
    )
    login(page, live_server, "clerk_br", "pw-for-tests-1")
    page.goto(f"{live_server.url}{reverse('devices:window', args=[org['zhanggong']['window'].code])}")
    expect(page.get_by_role("button", name="请评价收件")).to_be_visible()
    page.get_by_role("button", name="请追评").click()
    expect(page.locator(".dv-pending")).to_contain_text("追评")
    docs_screenshot(page, "devices-window-follow-up")
