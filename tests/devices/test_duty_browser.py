"""Who is on duty, in a real Chromium (issue 12, point 1, acceptance), on the demo data.

A clerk signs in at his window; the window's evaluator shows him (Tianjin art. 10(1): 窗口评价器应
显示……窗口工作人员姓名); a citizen rates on the evaluator and the rating is the clerk's; the clerk signs
out; a rating through the window's static QR (art. 10(2)) then rates the window alone.
"""

import hashlib
import hmac
import uuid
from datetime import datetime, time

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from devices.services.registry import device_register
from evaluations.demo_data import DEMO_PASSWORD
from evaluations.models import Evaluation, Shift, Staff, Tag

from ..helpers import docs_screenshot, login, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.calendar,
]
PAD = {"width": 1024, "height": 768}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(transactional_db, settings):
    """The demo data at 10:00 today (Beijing, ticking): the pad's own clock is left as it is, so the
    evaluator script has to take the server's time, as a real evaluator does."""
    default = {**settings.CACHES["default"], "KEY_PREFIX": f"test-duty-{uuid.uuid4().hex[:12]}"}
    settings.CACHES = {**settings.CACHES, "default": default}
    moment = timezone.make_aware(datetime.combine(timezone.localdate(), time(10)))
    with time_machine.travel(moment, tick=True):
        call_command("seed_demo", months=0, verbosity=0)
        yield


def test_tianjin_art10_the_evaluator_shows_the_clerk_signed_in_and_ratings_follow_the_shift(
    browser, page, live_server, demo
):
    clerk = Staff.objects.select_related("window__hall", "department").get(user__username="window_clerk")
    window = clerk.window
    assert window is not None
    device, secret = device_register(by=None, serial="EV-DUTY-01", window=window)

    # 1. The clerk signs in on his window page.
    login(page, live_server, "window_clerk", DEMO_PASSWORD)
    page.goto(f"{live_server.url}{reverse('devices:window', kwargs={'code': window.code})}")
    duty = page.locator(".dv-duty")
    expect(duty).to_contain_text("现在没有工作人员在本窗口签到")
    page.get_by_role("button", name=f"{clerk.name} 签到上岗").click()
    expect(page.locator(".messages")).to_contain_text(f"{clerk.name} 已在 {window.name} 签到")
    expect(duty).to_contain_text(clerk.staff_no)
    expect(duty).to_contain_text(clerk.department.name)
    assert Shift.objects.get(ended_at__isnull=True).staff == clerk
    docs_screenshot(page, "duty-window-clerk")

    # 2. The evaluator on the counter: set up once with its serial and secret, then it shows him.
    pad = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PAD).new_page()
    pad.goto(f"{live_server.url}{reverse('devices:evaluator')}")
    sample = "GET\n/api/devices/v1/pending\n好差评"
    assert pad.evaluate("(text) => hcpEvaluatorCrypto.sha256(text)", sample) == (
        hashlib.sha256(sample.encode()).hexdigest()
    )
    assert pad.evaluate("([key, text]) => hcpEvaluatorCrypto.hmac(key, text)", [secret, sample]) == (
        hmac.new(secret.encode(), sample.encode(), hashlib.sha256).hexdigest()
    )
    pad.get_by_label("设备序列号").fill(device.serial)
    pad.get_by_label("设备密钥").fill(secret)
    pad.get_by_role("button", name="保存并连接").click()
    staff_card = pad.locator("#ev-staff-list")
    expect(staff_card).to_contain_text(clerk.name)
    expect(staff_card).to_contain_text(f"工号 {clerk.staff_no} · {clerk.department.name}")
    expect(pad.locator("#ev-window")).to_have_text(window.name)
    expect(pad.locator("img")).to_have_count(0)  # name and details, no photograph
    expect(pad.locator("#ev-rate-title")).to_have_text("请您对窗口工作人员的服务作出评价")
    docs_screenshot(pad, "duty-evaluator")

    # 3. A citizen rates on the evaluator: the rating is the clerk's.
    pad.get_by_role("button", name="非常满意").click()
    pad.get_by_role("button", name="提交评价").click()
    expect(pad.get_by_text("感谢您的评价！")).to_be_visible()
    rating = Evaluation.objects.get(channel="device")
    assert (rating.staff, rating.window, rating.record, rating.device_serial, rating.grade) == (
        clerk, window, None, device.serial, 5,
    )  # fmt: skip
    assert pad.evaluate("() => localStorage.getItem('hcp-evaluator-queue')") == "[]"  # nothing left to send

    # A bad rating asks for its reason (a tag of the grade, or words) before it is sent.
    expect(pad.get_by_role("button", name="不满意", exact=True)).to_be_visible()  # back after the thanks
    pad.get_by_role("button", name="不满意", exact=True).click()
    pad.get_by_role("button", name="提交评价").click()
    expect(pad.locator("#ev-alert")).to_contain_text("请至少选择一个原因或填写评价内容")
    tag = Tag.objects.filter(grade=2, target="staff", active=True).order_by("position").first()
    assert tag is not None
    pad.get_by_role("button", name=tag.text).click()
    screenshot(pad, "duty-evaluator-bad")
    pad.get_by_role("button", name="提交评价").click()
    expect(pad.get_by_text("感谢您的评价！")).to_be_visible()
    bad = Evaluation.objects.get(channel="device", grade=2)
    assert (bad.staff, bad.tags) == (clerk, [tag.code])

    # 4. The clerk signs out; the evaluator shows nobody and says where a rating goes.
    page.get_by_role("button", name="签退").click()
    expect(page.locator(".messages")).to_contain_text(f"{clerk.name} 已从 {window.name} 签退")
    expect(duty).to_contain_text("现在没有工作人员在本窗口签到")
    pad.reload()  # the evaluator also asks by itself every 15 s
    expect(pad.locator("#ev-nobody")).to_be_visible()
    expect(pad.locator("#ev-rate-title")).to_have_text("请您对本窗口的服务作出评价")

    # 5. A colleague signs in on the evaluator itself, by staff number, and out again.
    colleague = (
        Staff.objects.filter(department=clerk.department, active=True)
        .exclude(pk=clerk.pk)
        .order_by("pk")
        .first()
    )
    assert colleague is not None
    pad.get_by_text("工作人员签到 / 签退").click()
    pad.get_by_label("工号").fill(colleague.staff_no)
    pad.get_by_role("button", name="签到", exact=True).click()
    expect(pad.locator("#ev-alert")).to_have_text("签到成功。")
    expect(staff_card).to_contain_text(colleague.name)
    assert Shift.objects.get(ended_at__isnull=True).started_device == device.serial
    pad.get_by_text("工作人员签到 / 签退").click()
    pad.get_by_label("工号").fill(colleague.staff_no)
    pad.get_by_role("button", name="签退", exact=True).click()
    expect(pad.locator("#ev-alert")).to_have_text("签退成功。")
    expect(pad.locator("#ev-nobody")).to_be_visible()
    assert not Shift.objects.filter(ended_at__isnull=True).exists()
    pad.context.close()

    # 6. Nobody on duty: a rating through the window's static QR rates the window alone.
    phone = browser.new_context(locale="zh-CN", viewport=PHONE).new_page()
    phone.goto(f"{live_server.url}{reverse('citizen:window_rate', kwargs={'token': window.qr_token})}")
    expect(phone.locator(".c-facts")).to_contain_text("暂无工作人员签到，本次评价计入窗口")
    expect(phone.locator("#rating-staff")).to_have_count(0)
    phone.locator("#rating-grade").get_by_label("满意", exact=True).check()
    phone.get_by_role("button", name="提交评价").click()
    expect(phone.get_by_role("heading", name="感谢您的评价")).to_be_visible()
    phone.context.close()
    qr = Evaluation.objects.get(channel="qr")
    assert (qr.staff, qr.window, qr.record, qr.target) == (None, window, None, "staff")
    window.refresh_from_db()
    assert qr.department == window.lead_department  # the window's lead department (README)
