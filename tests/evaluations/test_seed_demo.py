import pytest
from django.core.management import call_command

from evaluations.models import (
    Department,
    Evaluation,
    Hall,
    Region,
    Role,
    ServiceMatter,
    ServiceRecord,
    Staff,
    User,
    Window,
)

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Region, Department, Hall, Window, Staff, ServiceMatter, User, ServiceRecord, Evaluation)
    }


def test_it_loads_a_city_and_is_safe_to_run_twice():
    call_command("seed_demo", months=1, verbosity=0)
    first = counts()
    call_command("seed_demo", months=1, verbosity=0)
    assert counts() == first
    assert first["Hall"] == 3
    assert first["Window"] == 40
    assert first["Staff"] == 120
    assert first["ServiceMatter"] == 210  # 200 city matters, 10 handled by two district bureaus
    assert 20 <= first["Department"] <= 22
    levels = set(Region.objects.values_list("level", flat=True))
    assert levels == {1, 2, 3, 4, 5}
    assert first["ServiceRecord"] > 100
    channels = set(Evaluation.objects.filter(kind="active").values_list("channel", flat=True))
    assert {"device", "qr", "pc"} <= channels
    assert Evaluation.objects.filter(grade__lte=2).exists()


def test_every_role_has_a_demo_user_who_can_log_in(client):
    call_command("seed_demo", months=0, verbosity=0)
    from evaluations.demo_data import DEMO_PASSWORD

    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    for user in User.objects.all():
        user.full_clean()  # every demo user has the scope their role needs
        assert client.login(username=user.username, password=DEMO_PASSWORD), user.username
        client.logout()


def test_every_demo_record_is_valid():
    call_command("seed_demo", months=0, verbosity=0)
    for model in (Region, Department, Hall, Window, Staff, ServiceMatter):
        for row in model.objects.all():
            row.full_clean()


def test_the_demo_lives_in_the_present():
    """On any day: last month complete and published, open orders in every tab of the inbox."""
    from django.utils import timezone

    from reporting.models import Circular
    from reporting.periods import Period
    from workorders.models import ExtensionRequest, State, WorkOrder, WorkOrderEvent
    from workorders.selectors import inbox_tabs

    call_command("seed_demo", months=1, verbosity=0)
    last_month = Period.last_complete_month()
    start, end = last_month.bounds
    assert ServiceRecord.objects.filter(accepted_at__gte=start, accepted_at__lt=end).count() > 300
    assert Circular.objects.filter(period=str(last_month), published_at__isnull=False).exists()

    tabs = {tab.key: tab.count for tab in inbox_tabs(User.objects.get(username="admin"))}
    assert all(tabs.values()), tabs
    assert set(WorkOrder.objects.values_list("state", flat=True)) == set(State.values)
    assert ExtensionRequest.objects.filter(status="pending").exists()
    # Every step of every timeline happened in the past, and each order was opened when it was rated.
    now = timezone.now()
    assert not WorkOrderEvent.objects.filter(at__gt=now).exists()
    assert not WorkOrder.objects.filter(dispatched_at__gt=now).exists()
    for order in WorkOrder.objects.select_related("evaluation"):
        assert order.created_at == order.evaluation.rated_at, order.number
