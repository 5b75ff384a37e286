"""A rating without a case names the person on duty at its ``rated_at``, or nobody (issue 12, point 1).

Tianjin art. 10(1): the evaluator shows the clerk who serves, so the rating is that clerk's; art. 10(2):
a static window QR rates the window's service. With nobody signed in, or several, the rating is of
the window alone — never of whoever happens to have the lowest id.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from evaluations.models import Department, Evaluation, ServiceMatter, Staff, Window
from evaluations.refusals import Refusal
from evaluations.services.duty import shift_end, shift_start
from evaluations.services.intake import Rating, evaluation_record

from ..helpers import make_uscc

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ten_in_the_morning")]


def rate_window(window, **fields):
    rating = {"target": "staff", "stage": "completion", "grade": 5, "channel": "device"}
    extra = {key: fields.pop(key) for key in ("staff", "matter", "now") if key in fields}
    return evaluation_record(rating=Rating(**{**rating, **fields}), window=window, **extra).evaluation


@pytest.fixture
def side(org) -> dict:
    side = dict(org["zhanggong"])
    side["colleague"] = Staff.objects.create(
        name="李四", staff_no="S-zg-li", department=side["department"], window=side["window"]
    )
    return side


def test_tianjin_art10_1_a_caseless_rating_is_the_clerks_on_duty(side):
    shift_start(staff=side["colleague"], window=side["window"])
    evaluation = rate_window(side["window"])
    assert (evaluation.staff, evaluation.window, evaluation.record) == (
        side["colleague"],
        side["window"],
        None,
    )
    assert evaluation.department == side["department"]


def test_tianjin_art10_1_an_offline_rating_goes_to_whoever_was_on_duty_when_it_was_made(side):
    """The device buffered it: the clerk on duty at ``rated_at``, not the one on duty at upload."""
    shift_start(staff=side["staff"], window=side["window"], now=timezone.now() - timedelta(hours=1))
    handover = timezone.now() - timedelta(minutes=20)
    shift_start(staff=side["colleague"], window=side["window"], now=handover)
    shift_end(staff=side["staff"], now=handover)
    before = rate_window(side["window"], rated_at=handover - timedelta(minutes=10))
    after = rate_window(side["window"], rated_at=handover + timedelta(minutes=10))
    assert (before.staff, after.staff) == (side["staff"], side["colleague"])


def test_tianjin_art10_2_with_nobody_on_duty_the_rating_is_of_the_window_alone(side):
    evaluation = rate_window(side["window"], grade=2, tags=["S2-01"])
    assert (evaluation.staff, evaluation.window, evaluation.target) == (None, side["window"], "staff")
    assert evaluation.department == side["department"]  # the window's one department
    # Signed out is nobody too.
    shift_start(staff=side["staff"], window=side["window"])
    shift_end(staff=side["staff"])
    assert rate_window(side["window"]).staff is None
    assert Evaluation.objects.filter(staff__isnull=True).count() == 2


def test_with_two_on_duty_the_rating_is_of_the_window_never_a_guess(side):
    shift_start(staff=side["staff"], window=side["window"])
    shift_start(staff=side["colleague"], window=side["window"])
    assert rate_window(side["window"]).staff is None
    # Named by the rater (the QR page asks), it is that person's.
    assert rate_window(side["window"], staff=side["colleague"]).staff == side["colleague"]


def test_a_person_named_who_did_not_work_at_the_window_that_day_is_refused(side, org):
    with pytest.raises(Refusal) as caught:
        rate_window(side["window"], staff=org["nankang"]["staff"])
    assert caught.value.code == "staff_elsewhere" and caught.value.field == "staff"
    # Their own (home) window, or a window they signed in at that day, is fine.
    assert (
        rate_window(org["nankang"]["window"], staff=org["nankang"]["staff"]).staff == org["nankang"]["staff"]
    )
    assert not Evaluation.objects.filter(window=side["window"]).exists()


@pytest.fixture
def joint_window(side) -> dict:
    """A window of three departments (as W-CITY-01: 市场监管, 税务, 公安)."""
    region = side["department"].region
    tax = Department.objects.create(name="章贡区税务局", code=make_uscc(region.code, 7), region=region)
    police = Department.objects.create(name="章贡区公安分局", code=make_uscc(region.code, 8), region=region)
    window = Window.objects.create(hall=side["hall"], code="W-zg-joint", name="企业开办综合窗口")
    window.departments.add(police, tax, side["department"])
    matter = ServiceMatter.objects.create(code="M-zg-tax", name="发票领用", department=tax)
    return {"window": window, "tax": tax, "police": police, "matter": matter}


def test_a_window_of_several_departments_rated_alone_counts_for_its_lead_department(side, joint_window):
    window = joint_window["window"]
    Window.objects.filter(pk=window.pk).update(lead_department=joint_window["police"])
    window.refresh_from_db()
    assert rate_window(window).department == joint_window["police"]
    # A matter the rater named is more specific than the lead department; a person more still.
    assert rate_window(window, matter=joint_window["matter"]).department == joint_window["tax"]
    shift_start(staff=side["staff"], window=window)
    assert rate_window(window).department == side["department"]


def test_without_a_lead_department_the_first_of_the_window_by_id_is_used(side, joint_window):
    """A fixed, documented order (README), so the same window always counts for the same department."""
    evaluation = rate_window(joint_window["window"])
    first = joint_window["window"].departments.order_by("pk").first()
    assert evaluation.department == first and evaluation.staff is None


def test_a_window_without_departments_or_staff_cannot_be_attributed(side):
    bare = Window.objects.create(hall=side["hall"], code="W-zg-bare", name="临时窗口")
    with pytest.raises(Refusal) as caught:
        rate_window(bare)
    assert caught.value.code == "window_unattributed"
    assert not Evaluation.objects.exists()


def test_a_bad_window_rating_without_staff_still_opens_its_work_order(side):
    result = evaluation_record(
        rating=Rating(target="staff", stage="completion", grade=1, channel="qr", comment="窗口没人"),
        window=side["window"],
    )
    assert result.evaluation.staff is None and result.work_order
