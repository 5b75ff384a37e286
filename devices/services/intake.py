"""What a signed device asks for: a heartbeat, the case waiting at its window, and posting a rating.

Ratings go through the one intake service (``evaluations.services.intake.evaluation_record``), so a
device rating obeys every rule a rating from any other channel obeys, and the same ``client_id``
never makes a second row however often a flaky network makes the device retry.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from evaluations.models import Channel, Hall, ServiceRecord, Staff, Stage, Target, Window
from evaluations.refusals import Refusal
from evaluations.services.intake import IntakeResult, Rating, evaluation_record

from ..models import Device
from .pending import pending_for_window

# The national platform's channel codes tell an evaluator or pad (pf 4) from a kiosk (pf 5).
CHANNEL_OF_KIND: dict[str, Channel] = {Device.Kind.KIOSK: Channel.KIOSK}


@dataclass
class DeviceRating:
    """A rating as a device posts it; ``rated_at`` is the device's own clock (it may have buffered)."""

    client_id: str
    grade: int
    rated_at: datetime
    serial_no: str | None = None
    target: str | None = None
    tags: list[str] = field(default_factory=list)
    comment: str = ""


def device_heartbeat(*, device: Device, firmware: str | None = None) -> dict:
    """The server time, the device's window and the staff on duty there; notes a new firmware."""
    if firmware and firmware != device.firmware:
        with transaction.atomic():
            Device.objects.filter(pk=device.pk).update(firmware=firmware)
        device.firmware = firmware
    window = Window.objects.filter(pk=device.window_id).first() if device.window_id else None
    staff = (
        Staff.objects.filter(window=window, active=True).order_by("pk").values("staff_no", "name")
        if window is not None
        else []
    )
    return {
        "server_time": timezone.localtime(),
        "window": {"code": window.code, "name": window.name} if window is not None else None,
        "staff_on_duty": list(staff),
    }


def device_pending(*, device: Device) -> dict | None:
    """The case waiting for a rating at the device's window, as the evaluator shows it, or None."""
    pending = pending_for_window(device.window_id)
    if pending is None:
        return None
    record = pending.record
    return {
        "serial_no": record.serial_no,
        "matter_name": record.matter.name,
        "staff_name": record.staff.name if record.staff is not None else None,
        "set_at": timezone.localtime(pending.set_at),
    }


def device_rating_record(*, device: Device, rating: DeviceRating, address: str | None = None) -> IntakeResult:
    """Record ``rating`` or raise Refusal (404 unknown case, 409 already rated, 422 rules).

    With ``serial_no``: that case, which must belong to the device's hall (or, for a case without
    a hall, to the hall's region); ``target`` defaults to the matter, ``staff`` means the staff who
    completed it. Without: the staff on duty at the device's window. The stage is always completion.
    A rating of the waiting case clears it from the window (devices.services.pending).
    """
    serial_no = rating.serial_no
    target = rating.target or (Target.MATTER if serial_no is not None else Target.STAFF)
    intake = Rating(
        target=target,
        stage=Stage.COMPLETION,
        grade=rating.grade,
        channel=CHANNEL_OF_KIND.get(device.kind, Channel.DEVICE),
        tags=list(rating.tags),
        comment=rating.comment,
        rated_at=rating.rated_at,
        client_id=rating.client_id,
        device_serial=device.serial,
        ip_address=address,
    )
    if serial_no is None:
        window = (
            Window.objects.select_related("hall__region").filter(pk=device.window_id).first()
            if device.window_id is not None
            else None  # a device without a window: no query (pk=None matched nothing anyway)
        )
        return evaluation_record(rating=intake, window=window)
    # Only the id here: the intake service reads and locks the whole case itself.
    return evaluation_record(rating=intake, record=ServiceRecord(pk=_case_id(device, serial_no)))


def _case_id(device: Device, serial_no: str) -> int:
    """The case a device may rate: one of its hall, or a hall-less case of the hall's region."""
    found = (
        ServiceRecord.objects.filter(serial_no=serial_no).values_list("pk", "hall_id", "region__path").first()
    )
    if found is not None:
        record_id, hall_id, region_path = found
        if hall_id == device.hall_id:
            return record_id
        if hall_id is None:
            hall_path = Hall.objects.filter(pk=device.hall_id).values_list("region__path", flat=True).first()
            if hall_path and region_path.startswith(hall_path):
                return record_id
    raise Refusal("record_not_found", field="serial_no")
