"""Fixtures of the circular tests (test_circular_*.py): a hand-made October 2026 for 赣州市's circulars,
with ratings with tags in two districts and work orders open, overdue and closed at the cut-off (the tests
run at 20 November 2026 10:00)."""

import datetime as dt

import pytest

from evaluations.models import Policy, Role, User
from reporting.models import CircularOffice
from workorders.models import State

from .reporting_fixtures import OCTOBER, order, rate, rebuild


@pytest.fixture
def october(regions, org) -> dict:
    """章贡区: 5, 4 and three bad reviews (one overdue, one open on time, one closed); 南康区: 5 and one
    bad review still open. 赣州市 numbers its circulars 赣市政管通〔year〕seq号."""
    Policy.from_preset("tianjin", region=regions["city"], min_sample=1).save()
    CircularOffice.objects.create(
        region=regions["city"], name="赣州市政务服务管理办公室", number_pattern="赣市政管通〔{year}〕{seq}号"
    )
    zhanggong, nankang = org["zhanggong"], org["nankang"]
    rate(zhanggong, 5)
    rate(zhanggong, 4)
    overdue = order(rate(zhanggong, 1, tags=["M1-01", "M1-02"], comment="材料反复提交，电话13812345678"))
    overdue.due = dt.date(2026, 11, 10)
    overdue.save(update_fields=["due"])
    on_time = order(rate(zhanggong, 2, tags=["M1-01"]), state=State.REVIEWING, rectified=True)
    on_time.due = dt.date(2026, 11, 30)
    on_time.save(update_fields=["due"])
    closed = order(
        rate(zhanggong, 1, tags=["M1-02"], at=OCTOBER + dt.timedelta(days=2)),
        state=State.CLOSED, rectified=True, revisit="satisfied",
    )  # fmt: skip
    rate(nankang, 5)
    far = order(rate(nankang, 2, tags=["M1-01"]))
    far.due = dt.date(2026, 11, 12)
    far.save(update_fields=["due"])
    rebuild()
    return {"overdue": overdue, "on_time": on_time, "closed": closed, "nankang": far}


@pytest.fixture
def city_office(regions) -> User:
    """The 赣州市 management office."""
    return User.objects.create_user(
        username="city-office", password="pw-for-tests-1", name="赣州市政务服务管理办公室", role=Role.OFFICE,
        region=regions["city"],
    )  # fmt: skip
