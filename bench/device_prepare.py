"""Devices and cases for the simulator's load mode and the device benchmark, written to this database.

``prepare_devices(D)`` registers D evaluators at windows that have staff on duty and a matter to
rate; ``prepare_cases(devices, N)`` creates N completed window cases spread over their windows,
their evaluation window open, in bulk (no signals: nothing is offered on the evaluators).
"""

import secrets
from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from devices.models import Device
from devices.services.registry import device_register
from evaluations.models import ServiceMatter, ServiceRecord, Staff, Window
from evaluations.services.records import rating_deadline


def _rateable_windows():
    on_duty = Staff.objects.filter(window=OuterRef("pk"), active=True)
    matters = ServiceMatter.objects.filter(
        department__windows=OuterRef("pk"), active=True, consultation_only=False
    )
    return (
        Window.objects.filter(active=True)
        .filter(Exists(on_duty), Exists(matters))
        .select_related("hall__region")
        .order_by("pk")
    )


def prepare_devices(count: int, *, prefix: str = "BENCH-EV") -> list[tuple[Device, str]]:
    windows = list(_rateable_windows()[:count])
    if not windows:
        raise RuntimeError("no active window with staff on duty and a matter: run seed_demo first")
    tag = secrets.token_hex(3)
    return [
        device_register(by=None, serial=f"{prefix}-{tag}-{number:03d}", window=windows[number % len(windows)])
        for number in range(count)
    ]


def prepare_cases(devices: list[Device], count: int, *, prefix: str | None = None) -> list[str]:
    """N completed cases at the devices' windows (round robin); returns their serial numbers."""
    prefix = prefix or f"SIM-{secrets.token_hex(3)}"
    places = {}
    for device in devices:
        window = device.window
        matter = (
            ServiceMatter.objects.filter(department__windows=window, active=True, consultation_only=False)
            .select_related("department__region")
            .order_by("pk")
            .first()
        )
        staff = Staff.objects.filter(window=window, active=True).order_by("pk").first()
        if window is None or matter is None:
            raise ValueError(f"device {device.serial} needs a window with a ratable matter (run seed_demo)")
        places[device.pk] = (window, matter, staff)
    completed = timezone.now() - timedelta(minutes=30)
    deadline = rating_deadline(completed, 5)
    serials = [f"{prefix}-{number:07d}" for number in range(count)]
    records = []
    for number, serial in enumerate(serials):
        window, matter, staff = places[devices[number % len(devices)].pk]
        records.append(ServiceRecord(
            serial_no=serial, matter=matter, department=matter.department, region=matter.department.region,
            hall=window.hall, window=window, staff=staff, channel="window", status="completed",
            accepted_at=completed - timedelta(minutes=10), completed_at=completed, rating_deadline=deadline,
            applicant_type="person", applicant_name="测试", applicant_phone="13800000000",
        ))  # fmt: skip
    ServiceRecord.objects.bulk_create(records, batch_size=2000)
    return serials
