"""The pages a citizen or the public opens, built once per test for the accessibility checks:
a case link, a window's static QR page, a revisit link, the not-found notice, and the 好差评专区
(index, region, department) over a published October 2026 circular."""

import pytest
from django.urls import reverse

from evaluations.tokens import case_token
from reporting.periods import Period
from workorders.services import lifecycle
from workorders.services.revisit_link import revisit_token

from ..reporting.reporting_fixtures import publish_month, rate, rebuild


@pytest.fixture
def revisiting_order(make_record, owner, colleague):
    """A bad review rectified and approved: its revisit link is out to the citizen."""
    from evaluations.services.intake import Rating, evaluation_record

    bad = Rating(target="matter", stage="completion", grade=1, channel="pc", tags=["M1-02"], comment="等太久")
    order = evaluation_record(rating=bad, record=make_record()).evaluation.work_order
    order = lifecycle.workorder_dispatch(order, by=owner)
    order = lifecycle.workorder_accept(order, by=colleague)
    order = lifecycle.workorder_submit(
        order, by=colleague, rectification="补充材料清单", reply="已补充材料清单"
    )
    return lifecycle.workorder_approve(order, by=owner)


@pytest.fixture
def open_order(make_record):
    """A bad review just in: the office is to dispatch it (the detail page shows its forms)."""
    from evaluations.services.intake import Rating, evaluation_record

    bad = Rating(
        target="matter", stage="completion", grade=2, channel="pc", tags=["M2-02"], comment="材料退回三次"
    )
    return evaluation_record(rating=bad, record=make_record()).evaluation.work_order


@pytest.fixture
def published_circular(org, regions, sysadmin):
    """赣州市's October 2026 circular, published (runs under november_2026)."""
    side = org["zhanggong"]
    for grade in (5, 4, 1):
        rate(side, grade, tags=["M1-02"] if grade == 1 else None)
    rebuild()
    return publish_month(regions["city"], Period.parse("2026-10"), sysadmin)


@pytest.fixture
def citizen_pages(org, regions, make_record, revisiting_order, published_circular) -> dict[str, str]:
    """Page type → path of every page a citizen or the public opens."""
    side = org["zhanggong"]
    return {
        "case": reverse("citizen:case_rate", kwargs={"token": case_token(make_record())}) + "?via=sms",
        "window": reverse("citizen:window_rate", kwargs={"token": side["window"].qr_token}),
        "revisit": f"/r/revisit/{revisit_token(revisiting_order)}/",
        "notice": "/r/no-such-link/",
        "public-index": reverse("public:index"),
        "public-region": reverse("public:region", args=[regions["city"].code]),
        "public-department": reverse("public:department", args=[side["department"].code]),
    }
