"""The command-line tools: ``device`` (register, rotate, deactivate) and ``simulate_device``."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from devices.models import Device, PendingRating
from evaluations.models import Evaluation

pytestmark = pytest.mark.django_db


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_register_prints_the_secret_on_its_last_line(org):
    lines = run("device", "register", "--serial", "EV-CLI-1", "--window", "W-zhanggong")
    device = Device.objects.get(serial="EV-CLI-1")
    assert lines[-1] == device.secret and len(lines[-1]) == 64
    assert (device.window, device.hall, device.kind, device.active) == (
        org["zhanggong"]["window"], org["zhanggong"]["hall"], "evaluator", True,
    )  # fmt: skip


def test_a_kiosk_is_registered_in_a_hall(org):
    run("device", "register", "--serial", "KS-CLI-1", "--hall", "H-zhanggong", "--kind", "kiosk")
    kiosk = Device.objects.get(serial="KS-CLI-1")
    assert (kiosk.window, kiosk.hall, kiosk.kind) == (None, org["zhanggong"]["hall"], "kiosk")


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("--serial", "EV-CLI-1", "--window", "W-none"), id="unknown-window"),
        pytest.param(("--serial", "EV-TAKEN", "--window", "W-zhanggong"), id="serial-taken"),
    ],
)
def test_register_refuses_an_unknown_window_or_a_taken_serial(org, args):
    run("device", "register", "--serial", "EV-TAKEN", "--window", "W-nankang")
    with pytest.raises(CommandError):
        run("device", "register", *args)
    assert Device.objects.count() == 1


def test_rotate_prints_a_new_secret_and_deactivate_stops_the_device(org):
    old = run("device", "register", "--serial", "EV-CLI-2", "--window", "W-zhanggong")[-1]
    new = run("device", "rotate", "--serial", "EV-CLI-2")[-1]
    device = Device.objects.get(serial="EV-CLI-2")
    assert new != old and device.secret == new and device.rotated_at is not None
    run("device", "deactivate", "--serial", "EV-CLI-2")
    device.refresh_from_db()
    assert not device.active
    with pytest.raises(CommandError):
        run("device", "rotate", "--serial", "EV-NONE")


# serialized_rollback: the flush after a transactional test would otherwise drop the seeded tags.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_simulator_rates_the_case_waiting_at_its_window(live_server, make_record):
    record = make_record()  # completed at W-zhanggong: offered on its evaluator
    lines = run(
        "simulate_device",
        "--register",
        "--window",
        "W-zhanggong",
        "--serial",
        "SIM-T1",
        "--url",
        live_server.url,
    )
    assert Device.objects.get(serial="SIM-T1").secret in lines
    output = "\n".join(lines)
    assert "POST /api/devices/v1/heartbeat -> 200" in output
    assert "GET /api/devices/v1/pending -> 200" in output and record.serial_no in output
    assert "POST /api/devices/v1/evaluations -> 201" in output
    evaluation = Evaluation.objects.get()
    assert (evaluation.record, evaluation.channel, evaluation.device_serial) == (record, "device", "SIM-T1")
    assert not PendingRating.objects.exists()
    assert Device.objects.get(serial="SIM-T1").firmware == "simulator-1.0"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_wrong_secret_makes_the_simulator_fail(live_server, org):
    run("device", "register", "--serial", "SIM-T2", "--window", "W-zhanggong")
    with pytest.raises(CommandError):
        run("simulate_device", "--serial", "SIM-T2", "--secret", "0" * 64, "--url", live_server.url)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_load_mode_stores_each_rating_once_despite_the_retries(live_server, org):
    secret = run("device", "register", "--serial", "SIM-T3", "--window", "W-zhanggong")[-1]
    lines = run(
        "simulate_device",
        "--serial",
        "SIM-T3",
        "--secret",
        secret,
        "--url",
        live_server.url,
        "--load",
        "40",
        "--clients",
        "2",
        "--duplicates",
        "0.3",
        "--cases",
    )
    output = "\n".join(lines)
    assert "requests            52 (40 ratings + 12 retries)" in output
    assert "statuses            {200: 12, 201: 40}" in output
    assert "ratings stored      40" in output
    assert Evaluation.objects.filter(device_serial="SIM-T3").count() == 40
