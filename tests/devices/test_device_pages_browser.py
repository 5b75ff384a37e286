"""The device pages in a real Chromium, as the city hall's manager uses them (demo data)."""

import re
import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from devices.models import Device, PendingRating
from devices.services.alerts import burst_alerts_raise
from devices.services.registry import device_register
from evaluations.demo_data import DEMO_PASSWORD
from evaluations.models import ServiceMatter, Staff, Window
from evaluations.services.intake import Rating, evaluation_record
from evaluations.services.records import RecordData, record_upsert

from ..helpers import ARTIFACTS, login, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.calendar,
]
HALL = "H-CITY"


@pytest.fixture
def demo(transactional_db, settings) -> None:
    default = {**settings.CACHES["default"], "KEY_PREFIX": f"test-devpages-{uuid.uuid4().hex[:12]}"}
    settings.CACHES = {**settings.CACHES, "default": default}
    call_command("seed_demo", months=0, verbosity=0)


def a_busy_morning(now) -> None:
    """Devices at more windows of the city hall, in every state, some ratings and a burst of bad ones."""
    states = {
        "W-CITY-02": ("EV-GZ-0201", 1, "2.3.1"),
        "W-CITY-03": ("EV-GZ-0301", 0, "2.3.1"),
        "W-CITY-04": ("EV-GZ-0401", 2, "2.2.0"),
        "W-CITY-05": ("PAD-GZ-0501", 48, "1.8.4"),
        "W-CITY-06": ("EV-GZ-0601", None, ""),
    }
    for code, (serial, minutes, firmware) in states.items():
        kind = "pad" if serial.startswith("PAD") else "evaluator"
        device, _secret = device_register(
            by=None, serial=serial, window=Window.objects.get(code=code), kind=kind
        )
        seen = None if minutes is None else now - timedelta(minutes=minutes)
        Device.objects.filter(pk=device.pk).update(last_seen_at=seen, firmware=firmware)
    for code, grades in {"W-CITY-02": [5, 5, 4, 5], "W-CITY-03": [5, 2, 1, 1], "W-CITY-04": [5, 3]}.items():
        window = Window.objects.get(code=code)
        staff = Staff.objects.filter(window=window).first()
        for minutes, grade in enumerate(grades, start=1):
            comment = "等了很久没人理" if grade <= 2 else ""
            rated_at = now - timedelta(minutes=minutes)
            rating = Rating(
                target="staff",
                stage="completion",
                grade=grade,
                channel="device",
                comment=comment,
                rated_at=rated_at,
            )
            evaluation_record(rating=rating, window=window, staff=staff, now=now)
    burst_alerts_raise(now)


def test_a_hall_manager_registers_a_device_sees_it_offline_and_prints_the_codes(page, live_server, demo):
    login(page, live_server, "hall_city", DEMO_PASSWORD)
    page.get_by_role("link", name="评价设备与二维码").click()
    expect(page.get_by_role("heading", name="评价设备与二维码")).to_be_visible()
    page.get_by_role("link", name="登记新设备").click()
    page.get_by_label("设备序列号").fill("EV-GZ-0101")
    page.get_by_label("安装窗口").select_option(label="W-CITY-01 · 企业开办综合窗口")
    screenshot(page, "devices-register")
    page.get_by_role("button", name="登记并生成密钥").click()

    secret = page.locator("#device-secret").inner_text()
    device = Device.objects.get(serial="EV-GZ-0101")
    assert secret == device.secret and re.fullmatch(r"[0-9a-f]{64}", secret)
    assert page.get_by_text("请立即抄录，离开本页后无法再次查看").is_visible()
    screenshot(page, "devices-secret")

    page.get_by_role("link", name="我已抄录，返回大厅设备").click()
    row = page.locator("tr", has_text="企业开办综合窗口").first
    expect(row).to_contain_text("未上线")
    assert secret not in page.content()

    # It called once, 25 minutes ago, and went silent; the other devices and ratings are the scenery.
    now = timezone.now()
    Device.objects.filter(pk=device.pk).update(last_seen_at=now - timedelta(minutes=25), firmware="2.3.1")
    a_busy_morning(now)
    # The list refreshes itself with htmx (every 30 s); ask for the same request now instead of waiting.
    page.evaluate(
        "() => htmx.ajax('GET', document.querySelector('#dv-board').getAttribute('hx-get'),"
        " {target: '#dv-board', swap: 'innerHTML'})"
    )
    page.wait_for_function("document.querySelector('#dv-board').innerText.includes('EV-GZ-0201')")
    assert "离线" in row.inner_text() and "2.3.1" in row.inner_text()
    assert page.locator("h1").count() == 1  # only the list was swapped
    assert page.get_by_text("30 分钟内收到 3 条差评").is_visible()
    screenshot(page, "devices-dashboard")

    page.get_by_role("link", name="打印本大厅二维码").click()
    expect(page.locator(".dv-card")).to_have_count(22)
    assert Window.objects.filter(hall__code=HALL, active=True).count() == 22
    expect(page.get_by_text("扫码评价本窗口服务").first).to_be_visible()
    screenshot(page, "devices-print-sheet")
    page.locator(".dv-sheet").first.screenshot(path=str(ARTIFACTS / "devices-print-sheet-a4.png"))
    pdf = page.pdf(
        path=str(ARTIFACTS / "devices-print-sheet.pdf"), prefer_css_page_size=True, print_background=True
    )
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", pdf)) == 4  # 22 codes, 6 a sheet

    # The same devices in the admin: status at a glance, the secret nowhere.
    page.goto(f"{live_server.url}/admin/devices/device/")
    expect(page.get_by_role("link", name="EV-GZ-0101")).to_be_visible()
    assert secret not in page.content()
    page.locator("tr", has_text="EV-GZ-0201").get_by_role("checkbox").check()
    page.get_by_label("动作").select_option(label="更换密钥")
    page.get_by_role("button", name="执行").click()
    page.get_by_text("请立即抄录").wait_for()
    assert page.get_by_text(Device.objects.get(serial="EV-GZ-0201").secret).is_visible()
    screenshot(page, "devices-admin-rotated")


def cases_finished_today(staff: Staff, count: int) -> list:
    """Cases the clerk finished this morning at their window (as the business system pushes them)."""
    now = timezone.now()
    matter = ServiceMatter.objects.filter(department=staff.department).order_by("code").first()
    records = []
    for number in range(count):
        completed_at = now - timedelta(minutes=40 - number * 10)
        data = RecordData(
            matter_code=matter.code,
            department_code=staff.department.code,
            region_code=staff.window.hall.region.code,
            channel="window",
            status="completed",
            accepted_at=completed_at - timedelta(minutes=10),
            completed_at=completed_at,
            window_code=staff.window.code,
            staff_no=staff.staff_no,
            applicant_type="person",
            applicant_name="刘家旺",
            applicant_phone="13812345678",
        )
        records.append(record_upsert(serial_no=f"GZ-2025-{number + 1:06d}", data=data)[0])
    return records


@pytest.mark.usefixtures("ten_in_the_morning")  # "today's cases": not just after midnight
def test_the_dashboard_and_the_clerk_page_work_without_javascript(browser, live_server, demo):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 800}, java_script_enabled=False
    )
    page = context.new_page()
    try:
        clerk = Staff.objects.select_related("department", "window__hall__region").get(
            user__username="window_clerk"
        )
        first, _second, _third = cases_finished_today(clerk, 3)
        login(page, live_server, "window_clerk", DEMO_PASSWORD)
        page.get_by_role("link", name="本窗口请评价").click()
        page.locator("tr", has_text=first.serial_no).get_by_role("button", name="请评价").click()
        expect(page.get_by_text(f"办件 {first.serial_no} 已推送到本窗口评价器")).to_be_visible()
        assert PendingRating.objects.get(window=clerk.window).record == first
        screenshot(page, "devices-window-clerk")
        page.get_by_role("button", name="退出").click()
        page.wait_for_url(f"{live_server.url}/accounts/login/")

        login(page, live_server, "hall_city", DEMO_PASSWORD)
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}/devices/?hall={HALL}")
        page.get_by_role("link", name="立即刷新").click()
        expect(page.get_by_role("heading", name="评价设备与二维码")).to_be_visible()
        row = page.locator("tr", has_text="商事登记窗口").first
        row.get_by_role("link", name="登记").click()
        assert page.get_by_label("安装窗口").input_value() == str(Window.objects.get(code="W-CITY-02").pk)
        page.get_by_label("设备序列号").fill("EV-NOJS-1")
        page.get_by_role("button", name="登记并生成密钥").click()
        assert page.locator("#device-secret").inner_text() == Device.objects.get(serial="EV-NOJS-1").secret
    finally:
        context.close()
