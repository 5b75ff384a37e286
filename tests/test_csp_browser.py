"""Issue 14, point 8: the Content-Security-Policy (config/settings.py, django-csp) holds on every
page type: Chromium loads them and reports no violation (no inline script or style is left but
htmx's indicator style, allowed by its hash)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from evaluations.demo_data import DEMO_PASSWORD
from evaluations.models import Department, Window
from evaluations.services.intake import Rating, evaluation_record
from evaluations.services.records import RecordData, record_upsert

from .helpers import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.calendar,
]


def a_work_order() -> str:
    department = Department.objects.filter(region__level=2, matters__isnull=False).order_by("pk")[0]
    completed = timezone.now() - timedelta(hours=2)
    record, _created = record_upsert(
        serial_no="GZ-CSP-0001",
        data=RecordData(
            matter_code=department.matters.order_by("code")[0].code, department_code=department.code,
            region_code=department.region.code, channel="online", status="completed",
            accepted_at=completed - timedelta(days=1), completed_at=completed, applicant_type="person",
            applicant_name="刘晓梅", applicant_phone="13970700001",
        ),
    )  # fmt: skip
    rating = Rating("matter", "completion", 1, "pc", tags=["M1-01"], comment="材料反复要求补")
    return evaluation_record(rating=rating, record=record).evaluation.work_order.number


def test_issue14_p8_no_page_type_violates_the_content_security_policy(page, live_server, transactional_db):
    call_command("seed_demo", months=0, verbosity=0)
    number = a_work_order()
    window = Window.objects.get(code="W-CITY-01")
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(f"{page.url}: {m.text}") if "Security Policy" in m.text else None,
    )

    anonymous = ["/accounts/login/", f"/r/w/{window.qr_token}/", "/r/no-such-link/", "/public/", "/api/docs"]
    for path in anonymous:
        response = page.goto(live_server.url + path)
        assert response is not None and "default-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
    login(page, live_server, "admin", DEMO_PASSWORD)
    staff = [
        "/", "/desk/entry/", "/desk/feedback/new/", "/reviews/flags/", "/orders/", f"/orders/{number}/",
        "/orders/board/", "/devices/", "/devices/qr/hall/H-CITY/print/", "/devices/window/W-CITY-01/",
        "/devices/evaluator/", "/reports/", "/reports/rankings/", "/reports/circulars/", "/reports/revisits/",
        "/reports/exports/", "/admin/", "/admin/evaluations/smsmessage/", "/admin/evaluations/policy/add/",
        "/admin/axes/accessattempt/", "/no-such-page/",
    ]  # fmt: skip
    for path in staff:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/orders/?tab=all")
    page.locator(".wo-tab").last.click()  # an htmx swap
    page.wait_for_load_state("networkidle")
    assert violations == []
