"""What a signed device asks for: a heartbeat, the case waiting at its window, and posting a rating.

Ratings go through the one intake service (``evaluations.services.intake.evaluation_record``), so a
device rating obeys every rule a rating from any other channel obeys, and the same ``client_id``
from the same device never makes a second row however often a flaky network makes the device retry
(another device's ``client_id`` is its own: evaluations.services.client_keys).
"""

from dataclasses import asdict, dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from evaluations.models import CaseChannel, Channel, Hall, SenderKind, ServiceRecord, Stage, Target, Window
from evaluations.refusals import Refusal
from evaluations.services.client_keys import Sender
from evaluations.services.intake import IntakeResult, Rating, evaluation_record

from ..models import Device, PendingRating
from .duty import staff_on_duty
from .pending import pending_for_window, rating_slot

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
    stage: str | None = None  # None: what the case waits for (devices.services.pending.rating_slot)
    assess_number: int | None = None  # None: 2 when the evaluator shows this case for its 追评, else 1


@dataclass
class _Case:
    """What the device service needs of a case before the intake service reads and locks it."""

    pk: int
    completed: bool
    consultation: bool
    offered_assess_number: int | None  # the evaluator's offer of this case, if it is the waiting one


def device_heartbeat(*, device: Device, firmware: str | None = None) -> dict:
    """The server time, the device's window and the staff on duty there; notes a new firmware."""
    if firmware and firmware != device.firmware:
        with transaction.atomic():
            Device.objects.filter(pk=device.pk).update(firmware=firmware)
        device.firmware = firmware
    window = Window.objects.filter(pk=device.window_id).first() if device.window_id else None
    return {
        "server_time": timezone.localtime(),
        "window": {"code": window.code, "name": window.name} if window is not None else None,
        "staff_on_duty": staff_on_duty(window),
    }


def device_pending(*, device: Device) -> dict | None:
    """The case waiting for a rating at the device's window, as the evaluator shows it, or None."""
    pending = pending_for_window(device.window_id)
    if pending is None:
        return None
    record = pending.record
    completed = record.status == ServiceRecord.Status.COMPLETED
    stage, target = rating_slot(completed=completed, consultation=record.is_consultation)
    # Tianjin art. 12-13: one rating of a batch, or of a joint-approval case on completion, applies to the
    # clerk and the matter; a bad one carries tags of both.
    both = (
        target == Target.MATTER
        and pending.assess_number == 1
        and record.staff_id is not None
        and ((bool(record.batch_no) and record.channel == CaseChannel.WINDOW) or record.is_joint)
    )
    return {
        "serial_no": record.serial_no,
        "matter_name": record.matter.name,
        "staff_name": record.staff.name if record.staff is not None else None,
        "set_at": timezone.localtime(pending.set_at),
        "stage": stage,
        "target": target,
        "assess_number": pending.assess_number,
        "staff_and_matter": both,
    }


def device_rating_record(*, device: Device, rating: DeviceRating, address: str | None = None) -> IntakeResult:
    """Record ``rating`` or raise Refusal (404 unknown case, 409 already rated, 422 rules).

    With ``serial_no``: that case, which must belong to the device's hall (or, for a case without
    a hall, to the hall's region); ``target`` defaults to the matter, ``staff`` means the staff who
    completed it. Without: the one staff member signed in at the device's window at ``rated_at``, or
    the window alone when nobody (or several) are (evaluations.services.duty). With a case, stage,
    target and assess number default to what the case waits for (``_what_is_rated``): the clerk at
    intake of a case not completed yet, the follow-up of a case the evaluator shows for its 追评.
    A rating of the waiting case clears it from the window (devices.services.pending).

    A device keeps ratings in an offline buffer while its network is down, so its ratings are judged
    by ``rated_at``: one made while the case's window was open is accepted up to
    ``Policy.late_upload_days`` working days later and marked 补传; later than that, ``upload_too_late``.
    """
    serial_no = rating.serial_no
    case = _case_of(device, serial_no) if serial_no is not None else None
    stage, target, assess_number = _what_is_rated(rating, case)
    intake = Rating(
        target=target,
        stage=stage,
        assess_number=assess_number,
        grade=rating.grade,
        channel=CHANNEL_OF_KIND.get(device.kind, Channel.DEVICE),
        tags=list(rating.tags),
        comment=rating.comment,
        rated_at=rating.rated_at,
        client_id=rating.client_id,
        device_serial=device.serial,
        ip_address=address,
        buffered=True,
    )
    # The device's client_id is its own; the body is the rating as posted, not what was derived from
    # the case (the evaluator's offer of a 追评 is gone once the first attempt cleared it).
    sender, body = Sender.of(SenderKind.DEVICE, device.serial), asdict(rating)
    if case is None:
        window = (
            Window.objects.select_related("hall__region").filter(pk=device.window_id).first()
            if device.window_id is not None
            else None  # a device without a window: no query (pk=None matched nothing anyway)
        )
        return evaluation_record(rating=intake, window=window, sender=sender, body=body)
    # Only the id here: the intake service reads and locks the whole case itself.
    return evaluation_record(rating=intake, record=ServiceRecord(pk=case.pk), sender=sender, body=body)


def _what_is_rated(rating: DeviceRating, case: _Case | None) -> tuple[str, str, int]:
    """(stage, target, assess number): as posted, else what the case waits for. A case not completed
    rates its clerk at intake (a joint-approval case, Tianjin art. 13); a consultation its clerk
    (art. 15); a case the evaluator shows for its 追评 takes the follow-up."""
    if case is None:
        return rating.stage or Stage.COMPLETION, rating.target or Target.STAFF, rating.assess_number or 1
    stage, target = rating_slot(completed=case.completed, consultation=case.consultation)
    stage = rating.stage or stage
    target = rating.target or (Target.STAFF if stage == Stage.INTAKE else target)
    return stage, target, rating.assess_number or case.offered_assess_number or 1


def _case_of(device: Device, serial_no: str) -> _Case:
    """The case a device may rate: one of its hall, or a hall-less case of the hall's region."""
    # A device without a window (a kiosk) has no evaluator offer: window_id NULL matches no row.
    offered = PendingRating.objects.filter(
        window__isnull=False, window=device.window_id, record=OuterRef("pk")
    )
    found = (
        ServiceRecord.objects.filter(serial_no=serial_no)
        .annotate(offered=Subquery(offered.values("assess_number")[:1]))
        .values_list(
            "pk", "hall_id", "region__path", "status", "consultation", "matter__consultation_only", "offered"
        )
        .first()
    )
    if found is not None:
        record_id, hall_id, region_path, status, consultation, consultation_matter, offered_number = found
        case = _Case(
            pk=record_id,
            completed=status == ServiceRecord.Status.COMPLETED,
            consultation=consultation or consultation_matter,
            offered_assess_number=offered_number,
        )
        if hall_id == device.hall_id:
            return case
        if hall_id is None:
            hall_path = Hall.objects.filter(pk=device.hall_id).values_list("region__path", flat=True).first()
            if hall_path and region_path.startswith(hall_path):
                return case
    raise Refusal("record_not_found", field="serial_no")
