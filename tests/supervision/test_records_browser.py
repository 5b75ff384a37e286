"""Forums and third-party assessments in Chromium (51号 三(四): 人大代表、政协委员座谈; 委托第三方评估):
the office records a forum and an issue and turns the issue into a work order; it records an assessment,
a file with a bad row shows the row's error and imports nothing, the corrected file imports."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from supervision.models import AssessmentResult, ForumIssue
from workorders.models import Source, WorkOrder

from ..helpers import docs_screenshot, login
from .conftest import PASSWORD
from .test_assessment_import import workbook

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _file(folder: Path, name: str, rows: list[list]) -> str:
    path = folder / name
    path.write_bytes(workbook(rows))
    return str(path)


def test_an_office_records_a_forum_and_an_assessment(page, live_server, owner, org, regions, tmp_path):
    department = org["zhanggong"]["department"]
    login(page, live_server, owner.username, PASSWORD)
    page.goto(f"{live_server.url}/supervision/")
    page.get_by_role("link", name="登记座谈会").click()
    page.get_by_label("座谈会名称").fill("2026年第四季度政务服务代表委员座谈会")
    page.get_by_label("座谈日期").fill("2026-11-20")
    page.get_by_label("地点").fill("章贡区政务服务中心三楼会议室")
    page.get_by_label("参加人员").fill("区人大代表 王某、李某；区政协委员 张某")
    with page.expect_navigation():
        page.get_by_role("button", name="登记").click()
    page.get_by_label("责任部门").select_option(label=department.name)
    page.get_by_label("提出人").fill("李代表")
    page.get_by_label("反映的问题").fill("个体户设立登记在不同窗口被要求的材料不一致。")
    with page.expect_navigation():
        page.get_by_role("button", name="登记问题").click()
    issue = ForumIssue.objects.get()
    with page.expect_navigation():
        page.locator(f"#issue-{issue.pk}").get_by_role("button", name="转为整改工单").click()
    order = WorkOrder.objects.get()
    assert order.source == Source.SUPERVISION and order.department == department
    expect(page.locator(f"#issue-{issue.pk}")).to_contain_text(order.number)
    docs_screenshot(page, "supervision-forum")

    page.goto(f"{live_server.url}/supervision/assessments/new/")
    page.get_by_label("评估名称").fill("2026年度政务服务第三方评估")
    page.get_by_label("评估机构").fill("江西某调查研究中心")
    page.get_by_label("评估期起").fill("2026-01-01")
    page.get_by_label("评估期止").fill("2026-10-31")
    with page.expect_navigation():
        page.get_by_role("button", name="登记").click()
    bad = _file(
        tmp_path,
        "bad.xlsx",
        [[department.code, department.name, 91, 1, "规范"], ["91360000XXXXXXXXXX", "", "优", "", ""]],
    )
    page.get_by_label("评估结果表（.xlsx）").set_input_files(bad)
    with page.expect_navigation():
        page.get_by_role("button", name="导入").click()
    expect(page.locator(".sv-errors")).to_contain_text("得分应为 0 至 100 之间的数字。")
    expect(page.locator(".sv-errors tbody tr").first).to_contain_text("3")
    assert not AssessmentResult.objects.exists()
    docs_screenshot(page, "supervision-assessment-errors")
    good = _file(tmp_path, "good.xlsx", [[department.code, department.name, 91, 1, "窗口服务规范"]])
    page.get_by_label("评估结果表（.xlsx）").set_input_files(good)
    with page.expect_navigation():
        page.get_by_role("button", name="导入").click()
    expect(page.locator(".messages")).to_contain_text("已导入 1 个部门的评估结果。")
    assert AssessmentResult.objects.get().department == department
    page.goto(f"{live_server.url}/supervision/")
    docs_screenshot(page, "supervision-index")
