"""Registering devices, rotating and retiring their secrets. A secret is shown once, when made. Each
change is written to the device's history for the user ``by`` (evaluations.audit)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.audit import ADDITION, CHANGE, audit
from evaluations.models import Hall, User, Window

from ..models import Device


def device_register(
    *,
    by: User | None,
    serial: str,
    window: Window | None = None,
    hall: Hall | None = None,
    kind: str = Device.Kind.EVALUATOR,
    note: str = "",
) -> tuple[Device, str]:
    """A new device at ``window`` (or, for a kiosk, in ``hall``); returns it and its secret."""
    if hall is None:
        if window is None:
            raise ValueError("a device belongs to a window or a hall")
        hall = window.hall
    secret = Device.new_secret()
    with transaction.atomic():
        device = Device.objects.create(
            serial=serial.strip(), kind=kind, window=window, hall=hall, secret=secret
        )
        audit(by, device, ADDITION, note or _("登记设备"))
    return device, secret


def device_rotate_secret(*, by: User | None, device: Device, note: str = "") -> str:
    """A new secret; the old one stops working at once."""
    secret = Device.new_secret()
    with transaction.atomic():
        locked = Device.objects.select_for_update().get(pk=device.pk)
        locked.secret = secret
        locked.rotated_at = timezone.now()
        locked.save(update_fields=["secret", "rotated_at"])
        audit(by, device, CHANGE, note or _("更换密钥"))
    return secret


def device_set_active(*, by: User | None, device: Device, active: bool) -> Device:
    with transaction.atomic():
        Device.objects.filter(pk=device.pk).update(active=active)
        audit(by, device, CHANGE, _("启用") if active else _("停用"))
    device.active = active
    return device
