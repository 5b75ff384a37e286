"""The demo has a 社会监督员 ``monitor`` in 赣州市 with a planned inspection of the city office."""

import pytest
from django.core.management import call_command

from evaluations.demo_data import DEMO_PASSWORD
from evaluations.models import Role, User
from supervision.models import Inspection

pytestmark = pytest.mark.django_db


def test_the_demo_monitor_logs_in_and_sees_the_planned_inspection(client):
    call_command("seed_demo", months=0, verbosity=0)
    call_command("seed_demo", months=0, verbosity=0)  # safe to run twice
    monitor = User.objects.get(username="monitor")
    assert monitor.role == Role.MONITOR and monitor.region.name == "赣州市"
    plan = Inspection.objects.get()
    assert set(plan.inspectors.values_list("username", flat=True)) == {"monitor", "office_city"}
    assert client.login(username="monitor", password=DEMO_PASSWORD)
    page = client.get("/supervision/")
    assert plan.subject in page.content.decode()
    assert client.get(f"/supervision/inspections/{plan.pk}/visits/new/").status_code == 200
