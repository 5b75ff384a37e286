"""The pages a citizen or the public opens, built once per test for the accessibility checks:
a case link, a window's static QR page, a revisit link, the not-found notice, and the 好差评专区
(index, region, department) over a published October 2026 circular."""

import pytest
from django.urls import reverse

from evaluations.tokens import case_token
from reporting.circulars.service import circular_generate, circular_publish
from reporting.periods import Period
from workorders.services import lifecycle
from workorders.services.revisit_link import revisit_token

from ..reporting.reporting_fixtures import rate, rebuild


@pytest.fixture
def citizen_pages(org, regions, make_record, owner, colleague, sysadmin) -> dict[str, str]:
    """Page type → path. Runs under november_2026 (the circular is October's)."""
    from evaluations.services.intake import Rating, evaluation_record

    side = org["zhanggong"]
    for grade in (5, 4, 1):
        rate(side, grade, tags=["M1-02"] if grade == 1 else None)
    rebuild()
    circular_publish(
        circular=circular_generate(region=regions["city"], period=Period.parse("2026-10")), by=sysadmin
    )
    bad = Rating(target="matter", stage="completion", grade=1, channel="pc", tags=["M1-02"])
    order = evaluation_record(rating=bad, record=make_record()).evaluation.work_order
    order = lifecycle.workorder_dispatch(order, by=owner)
    order = lifecycle.workorder_accept(order, by=colleague)
    order = lifecycle.workorder_submit(
        order, by=colleague, rectification="补充材料清单", reply="已补充材料清单"
    )
    order = lifecycle.workorder_approve(order, by=owner)
    return {
        "case": reverse("citizen:case_rate", kwargs={"token": case_token(make_record())}) + "?via=sms",
        "window": reverse("citizen:window_rate", kwargs={"token": side["window"].qr_token}),
        "revisit": f"/r/revisit/{revisit_token(order)}/",
        "notice": "/r/no-such-link/",
        "public-index": reverse("public:index"),
        "public-region": reverse("public:region", args=[regions["city"].code]),
        "public-department": reverse("public:department", args=[side["department"].code]),
    }
