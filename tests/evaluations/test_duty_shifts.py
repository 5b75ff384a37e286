"""Who is on duty at a window (issue 12, point 1): shifts signed in and out, one open per person,
never longer than the day they began. The evaluator shows whoever is on duty (Tianjin art. 10(1))."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from evaluations.models import Department, Shift, Staff, Window
from evaluations.refusals import Refusal
from evaluations.services.duty import on_duty_at, shift_end, shift_start, sole_on_duty, windows_staffed

from ..helpers import make_uscc

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ten_in_the_morning")]


@pytest.fixture
def side(org) -> dict:
    """章贡区's window and clerk, a second window of the same department and a colleague."""
    side = dict(org["zhanggong"])
    side["other_window"] = Window.objects.create(hall=side["hall"], code="W-zg-2", name="帮办代办窗口")
    side["other_window"].departments.add(side["department"])
    side["colleague"] = Staff.objects.create(
        name="李四", staff_no="S-zg-li", department=side["department"], window=side["window"]
    )
    return side


def test_tianjin_art10_1_a_clerk_signed_in_is_on_duty_until_signing_out(side):
    shift = shift_start(staff=side["staff"], window=side["window"])
    assert shift.ended_at is None
    assert on_duty_at(side["window"]) == [side["staff"]]
    ended = shift_end(staff=side["staff"])
    assert ended.pk == shift.pk and ended.ended_at is not None
    assert on_duty_at(side["window"]) == []
    # The shift is kept: it still says who was on duty while it lasted.
    assert on_duty_at(side["window"], shift.started_at + (ended.ended_at - shift.started_at) / 2) == [
        side["staff"]
    ]


def test_signing_in_at_another_window_ends_the_previous_shift(side):
    first = shift_start(staff=side["staff"], window=side["window"])
    second = shift_start(staff=side["staff"], window=side["other_window"])
    first.refresh_from_db()
    assert first.ended_at == second.started_at
    assert on_duty_at(side["window"]) == [] and on_duty_at(side["other_window"]) == [side["staff"]]
    assert Shift.objects.filter(staff=side["staff"], ended_at__isnull=True).count() == 1


def test_signing_in_again_at_the_same_window_keeps_the_one_shift(side):
    first = shift_start(staff=side["staff"], window=side["window"])
    assert shift_start(staff=side["staff"], window=side["window"]).pk == first.pk
    assert Shift.objects.count() == 1


def test_one_open_shift_per_staff_member_is_a_database_constraint(side):
    Shift.objects.create(staff=side["staff"], window=side["window"], started_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Shift.objects.create(staff=side["staff"], window=side["other_window"], started_at=timezone.now())


def test_a_clerk_signs_in_only_at_a_window_of_their_department_or_their_own(side, org):
    elsewhere = org["nankang"]["window"]  # 南康区's window: another department
    with pytest.raises(Refusal) as caught:
        shift_start(staff=side["staff"], window=elsewhere)
    assert caught.value.code == "staff_not_at_window" and "不属于本窗口的进驻部门" in caught.value.message
    # Posted at a window (Staff.window) is enough, whatever the window's departments.
    guest = Department.objects.create(
        name="章贡区税务局", code=make_uscc("360702000000", 9), region=side["department"].region
    )
    posted = Staff.objects.create(name="赵六", staff_no="S-zg-zhao", department=guest, window=side["window"])
    assert shift_start(staff=posted, window=side["window"]).window == side["window"]
    assert not Shift.objects.filter(window=elsewhere).exists()


def test_an_inactive_clerk_or_window_is_refused(side):
    Staff.objects.filter(pk=side["colleague"].pk).update(active=False)
    with pytest.raises(Refusal) as caught:
        shift_start(staff=side["colleague"], window=side["window"])
    assert caught.value.code == "staff_inactive"
    Window.objects.filter(pk=side["other_window"].pk).update(active=False)
    side["other_window"].refresh_from_db()
    with pytest.raises(Refusal) as caught:
        shift_start(staff=side["staff"], window=side["other_window"])
    assert caught.value.code == "window_inactive"
    assert not Shift.objects.exists()


def test_signing_out_when_not_signed_in_there_is_refused(side):
    with pytest.raises(Refusal) as caught:
        shift_end(staff=side["staff"])
    assert (caught.value.code, caught.value.status) == ("not_on_duty", 409)
    shift_start(staff=side["staff"], window=side["window"])
    with pytest.raises(Refusal) as caught:
        shift_end(staff=side["staff"], window=side["other_window"])
    assert caught.value.code == "not_on_duty"
    assert Shift.objects.get().ended_at is None  # still on duty where they are


def test_a_forgotten_sign_out_ends_at_midnight(side):
    """Nobody is rated tomorrow for a shift left open tonight."""
    evening = timezone.make_aware(datetime.combine(timezone.localdate(), time(17, 30)))
    shift = shift_start(staff=side["staff"], window=side["window"], now=evening - timedelta(hours=8))
    midnight = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=1), time()))
    assert sole_on_duty(side["window"], evening) == side["staff"]
    assert sole_on_duty(side["window"], midnight + timedelta(hours=9)) is None
    # Signing in the next morning closes the old shift at its midnight and opens today's.
    with time_machine.travel(midnight + timedelta(hours=8, minutes=30), tick=True):
        today = shift_start(staff=side["staff"], window=side["window"])
    shift.refresh_from_db()
    assert shift.ended_at == midnight and today.pk != shift.pk


def test_with_two_on_duty_nobody_is_the_sole_one(side):
    shift_start(staff=side["staff"], window=side["window"])
    shift_start(staff=side["colleague"], window=side["window"])
    assert on_duty_at(side["window"]) == sorted([side["staff"], side["colleague"]], key=lambda s: s.name)
    assert sole_on_duty(side["window"], timezone.now()) is None


def test_the_windows_a_clerk_staffs_that_day_are_the_home_window_and_every_shift(side, org):
    today = timezone.localdate()
    assert windows_staffed(side["staff"], [today]) == {side["window"].pk}
    shift_start(staff=side["staff"], window=side["other_window"])
    shift_end(staff=side["staff"])
    assert windows_staffed(side["staff"], [today]) == {side["window"].pk, side["other_window"].pk}
    assert windows_staffed(side["staff"], [today - timedelta(days=1)]) == {side["window"].pk}
