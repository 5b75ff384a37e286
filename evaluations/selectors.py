"""Reads for the citizen pages: which window a static QR names, and where a case stands."""

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from .models import (
    CaseChannel,
    Evaluation,
    ServiceMatter,
    ServiceRecord,
    Staff,
    Stage,
    Target,
    Window,
)

OPEN, EXPIRED, RATED, NOT_COMPLETED = "open", "expired", "rated", "not_completed"


def window_for_token(token: str) -> Window | None:
    return (
        Window.objects.select_related("hall").filter(qr_token=token, active=True, hall__active=True).first()
    )


def staff_on_duty(window: Window) -> list[Staff]:
    return list(Staff.objects.filter(window=window, active=True).order_by("pk"))


def window_matters(window: Window) -> QuerySet[ServiceMatter]:
    return (
        ServiceMatter.objects.filter(department__windows=window, active=True)
        .select_related("department")
        .order_by("department__name", "code")
        .distinct()
    )


def _rated(record: ServiceRecord, target: str) -> bool:
    return Evaluation.objects.filter(
        record=record, target=target, stage=Stage.COMPLETION, assess_number=1
    ).exists()


def case_state(record: ServiceRecord, now: datetime | None = None) -> str:
    """What the case page should show before anyone submits; the intake service still decides."""
    now = now or timezone.now()
    if record.status != ServiceRecord.Status.COMPLETED:
        return NOT_COMPLETED
    if record.rating_deadline is not None and now > record.rating_deadline:
        return EXPIRED
    if _rated(record, Target.MATTER):
        return RATED
    return OPEN


def staff_rateable(record: ServiceRecord) -> bool:
    """A window (or joint-approval) case may also rate the staff who served, once on completion."""
    if record.staff_id is None:
        return False
    if record.channel != CaseChannel.WINDOW and not record.is_joint:
        return False
    return not _rated(record, Target.STAFF)
