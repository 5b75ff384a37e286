"""The order page in Chromium when a rule blocks a step: the step stays on the page, disabled, with the
reason in words (Tianjin art. 20: no extensions; art. 21: appeal within 1 working day of dispatch)."""

from datetime import datetime, time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from evaluations.models import Preset
from evaluations.workdays import add_working_days
from workorders.models import State, WorkOrder

from ..helpers import docs_screenshot, login
from .workorder_fixtures import move, use_preset

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.calendar,
]


def test_blocked_steps_are_shown_disabled_with_their_reason(page, live_server, new_order, people, regions):
    use_preset(regions["city"], Preset.TIANJIN)
    order = move(new_order, State.HANDLING, office=people["office"], handler=people["handler"])
    dispatched = add_working_days(timezone.localdate(), -3)
    moment = timezone.make_aware(datetime.combine(dispatched, time(10)))
    WorkOrder.objects.filter(pk=order.pk).update(
        dispatched_at=moment, contact_due=add_working_days(dispatched, 1)
    )

    login(page, live_server, people["handler"].username, "pw-for-tests-1")
    page.goto(f"{live_server.url}/orders/{order.number}/")
    appeal = page.locator("#action-appeal")
    expect(appeal).to_contain_text("申诉")
    expect(appeal).to_contain_text("暂不可用")
    expect(appeal).to_contain_text(
        f"申诉期限已过（派发后 1 个工作日内，截至 {add_working_days(dispatched, 1)}）。"
    )
    expect(page.locator("#action-extension")).to_contain_text("本地区的规则不允许延期，请在整改时限内办结。")
    expect(appeal.locator("form")).to_have_count(0)  # nothing to press and be refused
    expect(page.locator("#action-submit summary")).to_be_visible()  # the way forward is still offered
    docs_screenshot(page, "orders-detail-blocked")

    # The contact is recorded on the same page (the limit, 1 working day, passed long ago: late).
    expect(page.locator(".wo-side")).to_contain_text("联系已超时")
    block = page.locator("#action-contact")
    block.locator("summary").click()
    block.get_by_label("联系方式").select_option(label="电话")
    block.get_by_label("联系情况（选填）").fill("已电话致歉，说明整改安排。")
    with page.expect_navigation():
        block.get_by_role("button", name="已联系评价人").click()
    expect(page.locator(".messages")).to_contain_text("已登记联系评价人")
    expect(page.locator(".wo-side")).to_contain_text("超时联系")
    expect(page.locator(".wo-timeline")).to_contain_text("通过电话联系评价人（超过联系时限")
    expect(page.locator("#action-contact")).to_have_count(0)
