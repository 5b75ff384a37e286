"""季度随机回访 in a real Chromium: a 12345 agent reveals a number, records answers, sees the rate move."""

import datetime as dt

import pytest

from evaluations.models import Role, User
from reporting.models import RevisitReveal
from reporting.periods import Period
from reporting.revisits.service import revisit_draw

from ..helpers import docs_screenshot, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.calendar,
    pytest.mark.usefixtures("november_2026"),
]

TZ = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def sample(make_record, regions, owner):
    for n in range(24):
        done = dt.datetime(2026, 7 + n % 3, 3 + n, 15, 30, tzinfo=TZ)
        make_record(
            f"370212-2026-{n:05d}",
            applicant_phone=f"139{n:04d}5678",
            accepted_at=done - dt.timedelta(days=2),
            completed_at=done,
        )
    return revisit_draw(region=regions["zhanggong"], quarter=Period.parse("2026-Q3"), by=owner, percent=25)


def test_an_agent_calls_the_sample_and_the_report_follows(page, live_server, regions, sample):
    User.objects.create_user(
        username="agent", password="pw-for-tests-1", name="李坐席", role=Role.HOTLINE, region=regions["city"]
    )
    login(page, live_server, "agent", "pw-for-tests-1")
    page.goto(f"{live_server.url}/reports/revisits/")
    page.get_by_role("link", name="2026-Q3").click()
    assert page.get_by_role("heading", name="章贡区 2026-Q3 随机回访").is_visible()
    calls = list(sample.calls.select_related("record").order_by("position"))
    assert len(calls) == 6

    first = page.locator(f"#call-{calls[0].pk}")
    phone = calls[0].record.applicant_phone
    assert first.get_by_text(f"{phone[:3]}****{phone[-4:]}").is_visible()
    first.get_by_role("button", name="查看完整号码").click()
    first.get_by_text(phone).wait_for()
    assert RevisitReveal.objects.filter(call=calls[0]).count() == 1

    answers = [("满意", "办事很顺利"), ("满意", ""), ("不满意", "材料要求没有一次告知"), ("未接通", "")]
    for call, (result, note) in zip(calls, answers, strict=False):
        row = page.locator(f"#call-{call.pk}")
        row.get_by_label(result, exact=True).check()
        if note:
            row.get_by_label("意见建议").fill(note)
        row.get_by_role("button", name="保存").click()
        row.locator(".rv-badge").wait_for()
    report = page.locator("#rv-report")
    assert report.get_by_text("66.7%").is_visible()
    assert report.get_by_text("分子（满意）2 ／ 分母（满意 + 不满意）3").is_visible()
    assert page.locator(f"#call-{calls[2].pk}").get_by_text("“材料要求没有一次告知”").is_visible()

    page.reload()  # nothing lived only in the browser
    assert page.locator("#rv-report").get_by_text("66.7%").is_visible()
    page.locator(f"#call-{calls[0].pk}").get_by_role("button", name="查看完整号码").click()
    page.locator(f"#call-{calls[0].pk}").get_by_text(phone).wait_for()
    docs_screenshot(page, "reports-revisits")
