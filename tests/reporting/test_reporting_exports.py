"""数据导出: Excel and CSV files of the user's scope, no evaluator identity, a background path, downloads."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evaluations.models import Role, User
from reporting.exports import run as export_module
from reporting.exports.run import export_run, export_start
from reporting.models import ExportJob
from reporting.tasks import run_export
from workorders.models import State

from .reporting_fixtures import NOVEMBER_2026, OCTOBER, order, rate

pytestmark = [pytest.mark.django_db, pytest.mark.calendar, pytest.mark.usefixtures("november_2026")]

FIRST, LAST = dt.date(2026, 10, 1), dt.date(2026, 10, 31)
PHONE = "13812345678"
THIS_YEAR = NOVEMBER_2026.year  # the module's moment

EVALUATION_HEADERS = [
    "评价时间", "办件编号", "区划", "部门", "事项", "窗口", "工作人员", "评价对象", "评价环节", "评价等级",
    "评价类型", "首评/追评", "评价渠道", "评价标签", "评价内容", "实名评价",
    "评价人电话（脱敏）", "有效性", "认定理由",
]  # fmt: skip
WORKORDER_HEADERS = [
    "工单编号", "来源", "问题描述", "状态", "承办部门", "类别", "评价等级", "评价时间", "生成时间",
    "整改时限", "派发时间", "提交整改时间", "审核通过时间", "办结时间", "回访结果", "是否逾期",
]  # fmt: skip


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def data(org) -> dict:
    """Two 章贡区 ratings (one real-name and bad, with a work order); one 南康区 bad rating with an order."""
    zg, nk = org["zhanggong"], org["nankang"]
    bad = rate(zg, 1, real_name=True, comment='=HYPERLINK("http://x")', channel="device")
    good = rate(zg, 5, at=OCTOBER + dt.timedelta(days=1))
    other = rate(nk, 2, real_name=True)
    rate(zg, 4, at=dt.datetime(2026, 9, 30, 23, 0, tzinfo=OCTOBER.tzinfo))  # the day before the range
    bad_order = order(bad, state=State.HANDLING)
    other_order = order(other, state=State.CLOSED, revisit="satisfied")
    return {"bad": bad, "good": good, "other": other, "bad_order": bad_order, "other_order": other_order}


def _xlsx_rows(job: ExportJob) -> list[list]:
    with job.file.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read()), read_only=True).active
        return [["" if cell is None else cell for cell in row] for row in sheet.iter_rows(values_only=True)]


def _csv_rows(job: ExportJob) -> tuple[bytes, list[list[str]]]:
    with job.file.open("rb") as handle:
        raw = handle.read()
    return raw, list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_an_xlsx_of_ratings_has_chinese_headers_labels_and_only_the_users_scope(owner, data, media):
    job = export_start(user=owner, kind="evaluations", file_format="xlsx", date_from=FIRST, date_to=LAST)
    assert (job.status, job.total, job.done, job.percent) == ("done", 2, 2, 100)
    assert job.file.name.startswith("exports/") and (media / job.file.name).exists()
    header, *rows = _xlsx_rows(job)
    assert header == EVALUATION_HEADERS
    assert len(rows) == 2
    bad = dict(zip(header, rows[0], strict=True))
    assert bad["评价时间"] == "2026-10-15 10:00:00"
    assert (bad["评价等级"], bad["评价渠道"], bad["评价类型"], bad["有效性"]) == (
        "非常不满意",
        "窗口评价器",
        "主动评价",
        "有效",
    )
    assert bad["部门"] == "章贡区市场监督管理局" and bad["事项"] == "个体工商户设立登记"
    assert (bad["窗口"], bad["工作人员"], bad["区划"]) == ("综合受理窗口", "章贡区张三", "章贡区")
    assert bad["实名评价"] == "是" and bad["评价人电话（脱敏）"] == "138****5678"
    assert bad["评价内容"].startswith("'=")  # a citizen's text never runs as a formula
    flat = repr(rows)
    assert PHONE not in flat and "南康区" not in flat


def test_a_csv_of_work_orders_opens_in_excel_and_says_overdue(owner, outsider, data):
    job = export_start(user=owner, kind="workorders", file_format="csv", date_from=FIRST, date_to=LAST)
    raw, (header, *rows) = _csv_rows(job)
    assert raw.startswith(b"\xef\xbb\xbf")  # utf-8-sig for Excel
    assert header == WORKORDER_HEADERS and len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["工单编号"] == data["bad_order"].number
    assert (row["状态"], row["承办部门"], row["类别"], row["评价等级"]) == (
        "整改中", "章贡区市场监督管理局", "限时整改（一般）", "非常不满意",
    )  # fmt: skip
    assert row["整改时限"] == "2026-10-22" and row["派发时间"] == "2026-10-15 10:00:00"
    assert row["是否逾期"] == "是" and row["回访结果"] == ""
    theirs = export_start(user=outsider, kind="workorders", file_format="csv", date_from=FIRST, date_to=LAST)
    _raw, (_header, *their_rows) = _csv_rows(theirs)
    assert [r[0] for r in their_rows] == [data["other_order"].number]
    theirs_row = dict(zip(WORKORDER_HEADERS, their_rows[0], strict=True))
    assert (theirs_row["来源"], theirs_row["状态"], theirs_row["回访结果"]) == ("差评", "已办结", "满意")


def test_an_outsiders_export_has_none_of_the_other_districts_rows(outsider, data):
    job = export_start(user=outsider, kind="evaluations", file_format="csv", date_from=FIRST, date_to=LAST)
    raw, (_header, *rows) = _csv_rows(job)
    text = raw.decode("utf-8-sig")
    assert len(rows) == 1 and "南康区市场监督管理局" in text
    assert "章贡区" not in text and PHONE not in text and "138****5678" in text


def test_a_large_export_runs_in_the_background_and_reports_progress(
    owner, data, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.EXPORT_INLINE_MAX = 1
    monkeypatch.setattr(export_module, "CHUNK_SIZE", 1)
    seen: list[int] = []
    writer_write = export_module._Writer.write

    def spy(self, rows):
        writer_write(self, rows)
        seen.append(ExportJob.objects.get().done)

    monkeypatch.setattr(export_module._Writer, "write", spy)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = export_start(user=owner, kind="evaluations", file_format="xlsx", date_from=FIRST, date_to=LAST)
    assert len(callbacks) == 1  # run_export.delay(job.pk), sent once the request commits
    assert (job.status, job.total, job.done, job.percent) == ("pending", 2, 0, 0)
    run_export(job.pk)  # what the worker runs
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.percent) == ("done", 2, 2, 100)
    assert seen == [0, 1]  # the count is saved after each chunk
    assert len(_xlsx_rows(job)) == 3
    first_file = job.file.name
    export_run(job.pk)  # a second delivery of the task does nothing
    job.refresh_from_db()
    assert job.file.name == first_file


def test_a_failed_export_says_so_in_chinese(owner, data, monkeypatch):
    def broken(self, rows):
        raise OSError("disk full")

    monkeypatch.setattr(export_module._Writer, "write", broken)
    job = export_start(user=owner, kind="evaluations", file_format="csv", date_from=FIRST, date_to=LAST)
    assert job.status == "failed" and "导出失败" in job.error and not job.file


@pytest.mark.parametrize(
    ("date_from", "date_to", "message"),
    [
        ("2026-10-31", "2026-10-01", "截止日期不能早于起始日期"),
        ("2025-01-01", "2026-10-31", "一次最多导出 366 天"),
        ("2026-13-01", "2026-10-31", "日期格式应为 YYYY-MM-DD"),
        ("9999-12-01", "9999-12-31", f"日期应在 2000 年到 {THIS_YEAR} 年之间"),
        ("1999-12-01", "2000-01-31", f"日期应在 2000 年到 {THIS_YEAR} 年之间"),
        (f"{THIS_YEAR}-12-01", f"{THIS_YEAR + 1}-01-31", f"日期应在 2000 年到 {THIS_YEAR} 年之间"),
    ],
)
def test_the_form_refuses_a_bad_range_in_chinese(client, owner, date_from, date_to, message):
    client.force_login(owner)
    data = {"kind": "evaluations", "file_format": "xlsx", "date_from": date_from, "date_to": date_to}
    response = client.post(reverse("reporting:exports"), data)
    assert response.status_code == 422 and message in response.content.decode()
    assert not ExportJob.objects.exists()


def test_the_page_exports_and_only_the_requester_downloads(client, owner, colleague, data):
    client.force_login(owner)
    data_in = {
        "kind": "evaluations",
        "file_format": "csv",
        "date_from": "2026-10-01",
        "date_to": "2026-10-31",
    }
    response = client.post(reverse("reporting:exports"), data_in, follow=True)
    job = ExportJob.objects.get()
    page = response.content.decode()
    assert "导出完成，共 2 行" in page and reverse("reporting:export_download", args=[job.pk]) in page
    download = client.get(reverse("reporting:export_download", args=[job.pk]))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).decode("utf-8-sig").startswith("评价时间,")
    client.force_login(colleague)  # an exporter too, but not the one who asked
    assert client.get(reverse("reporting:export_download", args=[job.pk])).status_code == 404
    assert "还没有导出记录" in client.get(reverse("reporting:export_jobs")).content.decode()


def test_a_running_job_is_polled_every_two_seconds_and_has_a_refresh_link(client, owner):
    ExportJob.objects.create(
        kind="evaluations", file_format="xlsx", date_from=FIRST, date_to=LAST, requested_by=owner,
        status="running", total=10_000, done=4_000,
    )  # fmt: skip
    client.force_login(owner)
    page = client.get(reverse("reporting:exports")).content.decode()
    assert 'hx-trigger="every 2s"' in page and 'value="40"' in page and "4000 / 10000 行（40%）" in page
    assert f'href="{reverse("reporting:exports")}"' in page and "刷新" in page
    ExportJob.objects.update(status="done", done=10_000)
    assert "every 2s" not in client.get(reverse("reporting:export_jobs")).content.decode()


def test_someone_who_may_not_export_gets_403(client, regions):
    hotline = User.objects.create_user(
        username="agent", password="x", role=Role.HOTLINE, region=regions["city"]
    )
    client.force_login(hotline)
    assert client.get(reverse("reporting:exports")).status_code == 403


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_page_follows_a_background_export_until_it_can_be_downloaded(
    page, live_server, owner, data, settings, monkeypatch
):
    from ..helpers import login, screenshot

    settings.EXPORT_INLINE_MAX = 0  # the one work order of 章贡区 goes to the background
    queued: list[int] = []
    # No worker in the test: keep the task id instead of sending it to the broker, then run it here.
    monkeypatch.setattr(run_export, "delay", queued.append)
    login(page, live_server, "owner", "pw-for-tests-1")
    page.goto(f"{live_server.url}/reports/exports/")
    page.get_by_label("差评工单").check()
    page.get_by_label("CSV").check()
    page.get_by_label("起始日期").fill("2026-10-01")
    page.get_by_label("截止日期").fill("2026-10-31")
    page.get_by_role("button", name="导出").click()
    page.get_by_text("正在后台导出").wait_for()
    assert page.get_by_text("排队中").is_visible()
    job = ExportJob.objects.get()
    assert queued == [job.pk]
    run_export(job.pk)
    page.get_by_role("link", name="下载").wait_for(timeout=5000)  # the htmx poll brings it in
    assert page.get_by_text("1 / 1 行（100%）").is_visible()
    screenshot(page, "reports-exports")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载").click()
    assert download.value.suggested_filename == "差评工单_20261001-20261031.csv"


def test_a_phone_or_id_number_in_a_comment_is_masked_in_the_export(owner, org):
    rate(org["zhanggong"], 2, comment="请回电 13912345678，身份证 360702199001011234")
    job = export_start(user=owner, kind="evaluations", file_format="csv", date_from=FIRST, date_to=LAST)
    _raw, (header, row) = _csv_rows(job)
    comment = dict(zip(header, row, strict=True))["评价内容"]
    assert "13912345678" not in comment and "360702199001011234" not in comment
    assert "139****5678" in comment and "请回电" in comment


def test_the_service_refuses_a_year_out_of_range_in_chinese(owner):
    with pytest.raises(export_module.ExportError, match="日期应在 2000 年到"):
        export_start(
            user=owner,
            kind="evaluations",
            file_format="csv",
            date_from=dt.date(9999, 12, 1),
            date_to=dt.date(9999, 12, 31),
        )
    assert not ExportJob.objects.exists()


def test_a_job_whose_worker_died_is_given_up_and_polling_stops(client, owner):
    import datetime as dt

    from django.utils import timezone

    stuck = ExportJob.objects.create(
        kind="evaluations", file_format="csv", date_from=FIRST, date_to=LAST, requested_by=owner,
        status="running", total=10_000, done=2_000,
    )  # fmt: skip
    fresh = ExportJob.objects.create(
        kind="evaluations", file_format="csv", date_from=FIRST, date_to=LAST, requested_by=owner,
        status="running", total=10_000, done=2_000,
    )  # fmt: skip
    ExportJob.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - dt.timedelta(hours=3))
    client.force_login(owner)
    page = client.get(reverse("reporting:export_jobs")).content.decode()
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert (stuck.status, fresh.status) == ("failed", "running")
    assert "导出中断" in page


def test_issue14_numbers_in_any_format_are_masked_in_the_xlsx_export(owner, org):
    rate(org["zhanggong"], 2, comment="请回电 +86 139-1234-5678 或 （0797）8123456，卡号 6222 0212 3456 7891")
    job = export_start(user=owner, kind="evaluations", file_format="xlsx", date_from=FIRST, date_to=LAST)
    header, row = _xlsx_rows(job)
    comment = dict(zip(header, row, strict=True))["评价内容"]
    assert comment == "请回电 +86 139****5678 或 (0797)***3456，卡号 6222********7891"
