"""Issue 14, point 6: the signed citizen links an SMS carries (/r/<token>/?via=sms, /r/revisit/<token>/)
are the citizen's authority to rate and to answer a revisit, so no staff page shows them whole: the
admin's 短信 list and detail (and an error a gateway echoed) mask the signature, and the masked link
opens the "link not valid" page. Checked as the demo's city office and auditor."""

from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from evaluations.crypto import mask_signed_links
from evaluations.models import Department, SmsMessage, User
from evaluations.services.intake import Rating, evaluation_record
from evaluations.services.records import RecordData, record_upsert
from evaluations.services.reminders import reminder_text
from evaluations.services.sms import sms_enqueue
from evaluations.tokens import case_token
from workorders.models import State
from workorders.services import lifecycle
from workorders.services.revisit_link import revisit_token, send_revisit_link

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]

WEDNESDAY_10 = datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def completed_case(department: Department, serial_no: str, phone: str):
    completed = timezone.now() - timedelta(hours=30)
    record, _created = record_upsert(
        serial_no=serial_no,
        data=RecordData(
            matter_code=department.matters.order_by("code")[0].code, department_code=department.code,
            region_code=department.region.code, channel="online", status="completed",
            accepted_at=completed - timedelta(days=3), completed_at=completed, applicant_type="person",
            applicant_name="刘晓梅", applicant_phone=phone,
        ),
    )  # fmt: skip
    return record


@pytest.fixture
def signed_sms() -> Iterator[dict[str, str]]:
    """The demo, a rating reminder and a revisit SMS (each with its signed link) about city cases;
    the reminder's gateway error echoes the body. Yields the two tokens, the clock still on the day."""
    with time_machine.travel(WEDNESDAY_10, tick=False):
        call_command("seed_demo", months=0, verbosity=0)
        department = Department.objects.filter(region__level=2, matters__isnull=False).order_by("pk")[0]
        unrated = completed_case(department, "GZ-MASK-0001", "13970700001")
        reminder = sms_enqueue(
            phone="13970700001", body=reminder_text(unrated), kind="reminder", record=unrated
        )
        SmsMessage.objects.filter(pk=reminder.pk).update(last_error=f"网关拒收：{reminder.body}")

        rated = completed_case(department, "GZ-MASK-0002", "13970700002")
        rating = Rating("matter", "completion", 1, "pc", tags=["M1-01"], comment="材料反复要求补")
        order = evaluation_record(rating=rating, record=rated).evaluation.work_order
        office = User.objects.get(username="office_city")
        handler = User.objects.create(username="mask-handler", role="department", department=order.department)
        order = lifecycle.workorder_dispatch(order, by=office)
        order = lifecycle.workorder_accept(order, by=handler)
        order = lifecycle.workorder_submit(order, by=handler, rectification="已整改", reply="已答复")
        order = lifecycle.workorder_approve(order, by=office)
        assert order.state == State.REVISITING
        assert send_revisit_link(order.pk) is not None
        tokens = {"case": case_token(unrated), "revisit": revisit_token(order)}
        bodies = " ".join(SmsMessage.objects.values_list("body", flat=True))
        assert all(token in bodies for token in tokens.values())  # the phone gets the real links
        yield tokens


def staff_pages(client: Client) -> list[str]:
    """Every admin page about SMS this user may open: the list, its filters and each message."""
    pages = [
        client.get("/admin/evaluations/smsmessage/"),
        client.get("/admin/evaluations/smsmessage/?kind=revisit"),
    ]
    ids = list(SmsMessage.objects.filter(kind__in=["reminder", "revisit"]).values_list("pk", flat=True))
    pages += [client.get(f"/admin/evaluations/smsmessage/{pk}/change/") for pk in ids]
    assert [page.status_code for page in pages] == [200] * len(pages)
    return [page.text for page in pages]


@pytest.mark.parametrize("username", ["office_city", "auditor"])
def test_issue14_p6_no_staff_page_shows_a_valid_citizen_token(client, signed_sms, username):
    client.force_login(User.objects.get(username=username))
    pages = staff_pages(client)
    everything = "\n".join(pages)
    for token in signed_sms.values():
        assert token not in everything
        masked = token.split(".")[0] + ".******"
        assert masked in everything  # the staff still see which link went out
    assert "网关拒收" in everything  # the echoed error is shown, masked
    assert "?via=sms" in everything


def test_issue14_p6_the_masked_links_do_not_open_the_citizen_pages(client, signed_sms):
    case_id, revisit_id = (token.split(".")[0] for token in signed_sms.values())
    citizen = Client()
    for path in (f"/r/{case_id}.******/?via=sms", f"/r/revisit/{revisit_id}.******/"):
        response = citizen.get(path)
        assert response.status_code == 404
        assert "<form" not in response.text
    # The real links do open them (the masking, not a broken page, is what refuses).
    assert citizen.get(f"/r/{signed_sms['case']}/?via=sms").status_code == 200
    assert citizen.get(f"/r/revisit/{signed_sms['revisit']}/").status_code == 200


def test_issue14_p6_masking_keeps_the_text_and_the_record_id():
    body = (
        "请评价：http://hall.example/r/2s.AbC-d_9xYz/?via=sms 回访：http://hall.example/r/revisit/k.Q1w2E3/"
    )
    assert mask_signed_links(body) == (
        "请评价：http://hall.example/r/2s.******/?via=sms 回访：http://hall.example/r/revisit/k.******/"
    )
    assert mask_signed_links("无链接的工作通知 13800001111") == "无链接的工作通知 13800001111"
