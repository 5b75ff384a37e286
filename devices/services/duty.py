"""Signing staff in and out at an evaluator's window, and what the evaluator shows of them.

The evaluator shows who is on duty: name, staff number and department, no photograph (Tianjin
art. 10(1): 窗口工作人员姓名). A clerk signs in on the device with their staff number (this module) or
on the window clerk's page (devices.views.window); both write the same shifts through
``evaluations.services.duty``, which a rating without a case reads to name the person who served.
"""

from django.utils import timezone

from evaluations.models import Staff, Window
from evaluations.refusals import Refusal
from evaluations.services.duty import open_shifts_at, shift_end, shift_start

from ..models import Device


def staff_on_duty(window: Window | None) -> list[dict]:
    """The staff signed in at ``window`` now, in the order they signed in, as the evaluator shows them."""
    if window is None:
        return []
    return [
        {
            "staff_no": shift.staff.staff_no,
            "name": shift.staff.name,
            "department": shift.staff.department.name,
            "signed_in_at": timezone.localtime(shift.started_at),
        }
        for shift in open_shifts_at(window)
    ]


def device_sign_in(*, device: Device, staff_no: str) -> dict:
    """Sign the staff member numbered ``staff_no`` in at the device's window, or raise Refusal."""
    window = _window_of(device)
    shift_start(staff=_staff(staff_no), window=window, device_serial=device.serial)
    return _duty(window)


def device_sign_out(*, device: Device, staff_no: str) -> dict:
    """Sign the staff member out of the device's window (409 ``not_on_duty`` if not signed in here)."""
    window = _window_of(device)
    shift_end(staff=_staff(staff_no), window=window, device_serial=device.serial)
    return _duty(window)


def _window_of(device: Device) -> Window:
    window = (
        Window.objects.select_related("hall").filter(pk=device.window_id).first()
        if device.window_id is not None
        else None
    )
    if window is None:
        raise Refusal("window_required", field="window")
    return window


def _staff(staff_no: str) -> Staff:
    staff = Staff.objects.filter(staff_no=staff_no).first()
    if staff is None:
        raise Refusal("staff_unknown", field="staff_no", staff_no=staff_no)
    return staff


def _duty(window: Window) -> dict:
    return {"window": {"code": window.code, "name": window.name}, "staff_on_duty": staff_on_duty(window)}
