"""Registering devices, rotating and retiring their secrets. A secret is shown once, when made."""

from django.db import transaction
from django.utils import timezone

from evaluations.models import Hall, Window

from ..models import Device


def device_register(
    *, serial: str, window: Window | None = None, hall: Hall | None = None, kind: str = Device.Kind.EVALUATOR
) -> tuple[Device, str]:
    """A new device at ``window`` (or, for a kiosk, in ``hall``); returns it and its secret."""
    if window is None and hall is None:
        raise ValueError("a device belongs to a window or a hall")
    secret = Device.new_secret()
    with transaction.atomic():
        device = Device.objects.create(
            serial=serial.strip(), kind=kind, window=window, hall=hall or window.hall, secret=secret
        )
    return device, secret


def device_rotate_secret(*, device: Device) -> str:
    """A new secret; the old one stops working at once."""
    secret = Device.new_secret()
    with transaction.atomic():
        locked = Device.objects.select_for_update().get(pk=device.pk)
        locked.secret = secret
        locked.rotated_at = timezone.now()
        locked.save(update_fields=["secret", "rotated_at"])
    return secret


def device_set_active(*, device: Device, active: bool) -> Device:
    with transaction.atomic():
        Device.objects.filter(pk=device.pk).update(active=active)
    device.active = active
    return device
