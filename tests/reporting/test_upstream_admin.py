"""The upstream outbox in the admin: counts, filters, the last error, "重新发送", the import page."""

import io

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from evaluations.models import Evaluation
from reporting.models import UpstreamMessage
from reporting.upstream.push import upstream_push

from ..workorders.workorder_fixtures import rate
from .upstream_rows import HEADERS, case_codes, row

pytestmark = pytest.mark.django_db

URL = "/admin/reporting/upstreammessage/"
Status = UpstreamMessage.Status


def messages_in(statuses: list[str], make_record) -> list[UpstreamMessage]:
    for _ in statuses:
        rate(make_record(), grade=5, tags=[])
    found = list(UpstreamMessage.objects.order_by("id"))
    for message, status in zip(found, statuses, strict=True):
        message.status = status
        message.last_error = "省级平台返回 HTTP 500：平台内部错误" if status != Status.SENT else ""
        message.attempts = 3 if status != Status.PENDING else 0
        message.sent_at = timezone.now() if status == Status.SENT else None
        message.save()
    return found


def test_the_list_counts_every_status_and_shows_the_last_error(client, sysadmin, make_record, settings):
    settings.UPSTREAM_URL = "http://127.0.0.1:9/hcp"
    messages_in([Status.PENDING, Status.FAILED, Status.DEAD, Status.DEAD, Status.SENT], make_record)
    client.force_login(sysadmin)
    page = client.get(URL).content.decode()
    for label, count in (
        ("待上报", 1),
        ("上报失败，待重试", 1),
        ("多次失败，已放弃", 2),
        ("近 24 小时已上报", 1),
    ):
        assert f">{label}</a>：<strong>{count}</strong>" in page
    assert "省级平台返回 HTTP 500：平台内部错误" in page
    assert "未设置 UPSTREAM_URL" not in page
    filtered = client.get(URL, {"status__exact": "dead"}).context["cl"].result_list
    assert {m.status for m in filtered} == {Status.DEAD} and len(filtered) == 2
    assert client.get(f"{URL}add/").status_code == 403


def test_a_message_shows_its_payload_and_cannot_be_edited(client, sysadmin, make_record):
    rate(make_record("SN-SHOW-1"), grade=5, tags=[])
    message = UpstreamMessage.objects.get()
    client.force_login(sysadmin)
    page = client.get(f"{URL}{message.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "SN-SHOW-1" in text and message.idempotency_key in text
    assert client.post(f"{URL}{message.pk}/delete/").status_code == 403


def test_the_list_says_when_pushing_is_off(client, sysadmin, settings):
    settings.UPSTREAM_URL = ""
    client.force_login(sysadmin)
    assert "未设置 UPSTREAM_URL，上报已停用" in client.get(URL).content.decode()


def test_the_search_finds_a_case_by_its_number(client, sysadmin, make_record):
    rate(make_record("SN-FIND-ME"), grade=5, tags=[])
    rate(make_record(), grade=5, tags=[])
    client.force_login(sysadmin)
    found = client.get(URL, {"q": "SN-FIND-ME"}).context["cl"].result_list
    assert [m.payload["projectNo"] for m in found] == ["SN-FIND-ME"]


def test_resend_queues_the_failed_and_dead_rows_selected(client, sysadmin, make_record):
    pending, failed, dead, sent = messages_in(
        [Status.PENDING, Status.FAILED, Status.DEAD, Status.SENT], make_record
    )
    client.force_login(sysadmin)
    response = client.post(
        URL, {"action": "retry", "_selected_action": [m.pk for m in (pending, failed, dead, sent)]}
    )
    assert response.status_code == 302
    notes = [str(m) for m in client.get(response.url).context["messages"]]
    assert notes == ["2 条消息已重新排队上报。", "2 条消息不是失败或放弃状态，未重新发送。"]
    assert list(UpstreamMessage.objects.order_by("id").values_list("status", "attempts")) == [
        (Status.PENDING, 0),
        (Status.PENDING, 0),
        (Status.PENDING, 0),
        (Status.SENT, 3),
    ]


def test_only_the_system_administrator_sees_the_outbox_and_imports(client, owner, make_record):
    rate(make_record(), grade=5, tags=[])
    client.force_login(owner)
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}import/").status_code == 403


# --- the import page --------------------------------------------------------------------------


@pytest.fixture
def codes(org) -> dict[str, str]:
    return case_codes(org)


def upload(rows: list[list], name: str = "history.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, tablib.Dataset(*rows, headers=HEADERS).export("csv").encode("utf-8-sig"))


def test_the_import_page_lists_each_row_error_in_chinese(client, sysadmin, codes):
    client.force_login(sysadmin)
    assert "导入历史评价数据" in client.get(URL).content.decode()
    form = client.get(f"{URL}import/").content.decode()
    assert "<code>satisfaction</code>" in form and "满意度" in form
    rows = [row(codes, "SN-A-1"), row(codes, "SN-A-2", satisfaction="9")]
    page = client.post(f"{URL}import/", {"file": upload(rows), "report_upstream": "on"}).content.decode()
    assert "文件中有数据未通过校验，本次未导入任何数据" in page
    assert "<td>3</td><td>satisfaction（满意度）</td><td>应为 1（非常不满意）至 5（非常满意）。</td>" in page
    assert not Evaluation.objects.exists()


def test_the_import_page_imports_a_good_file(client, sysadmin, codes, settings):
    settings.UPSTREAM_URL = ""
    client.force_login(sysadmin)
    page = client.post(f"{URL}import/", {"file": upload([row(codes, "SN-A-1")])}).content.decode()
    assert "导入完成：共 1 行；新建办件 1 件" in page
    assert Evaluation.objects.count() == 1
    assert not UpstreamMessage.objects.exists()  # "report upstream" was left unticked
    assert upstream_push().disabled


def test_the_import_page_explains_a_file_it_cannot_read(client, sysadmin):
    client.force_login(sysadmin)
    bad = SimpleUploadedFile("history.txt", io.BytesIO(b"hello").getvalue())
    page = client.post(f"{URL}import/", {"file": bad}).content.decode()
    assert "只能导入 .xlsx 或 .csv 文件。" in page
