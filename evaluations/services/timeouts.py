"""When a case's evaluation window closes unrated, the policy decides (Tianjin art. 16: "未评";
Ganzhou: default "满意"). The marker is a row of its own kind, kept apart from active ratings."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from ..models import (
    Channel,
    Evaluation,
    EvaluationKind,
    Grade,
    OnTimeout,
    Policy,
    ServiceRecord,
    Stage,
    Target,
)
from ..models.records import CONSULTATION_CASES
from ..policies import policy_for_region
from ..signals import evaluation_recorded
from .upload_window import late_upload_deadline


def has_matter_rating() -> Exists:
    """True for a case whose matter has its first rating (or timeout marker)."""
    return Exists(
        Evaluation.objects.filter(
            record=OuterRef("pk"), target=Target.MATTER, stage=Stage.COMPLETION, assess_number=1
        )
    )


def timeouts_apply(*, now: datetime | None = None, limit: int = 1000) -> dict[str, int]:
    """Mark up to ``limit`` closed, unrated cases. Safe to run twice or concurrently."""
    now = now or timezone.now()
    due = (
        ServiceRecord.objects.filter(status=ServiceRecord.Status.COMPLETED, rating_deadline__lt=now)
        .exclude(has_matter_rating())
        # A consultation's matter is never rated (Tianjin art. 15), so it is neither 未评 nor 默认满意.
        .exclude(CONSULTATION_CASES)
        .select_related("region")
        .order_by("rating_deadline")[:limit]
    )
    counts = {"unevaluated": 0, "default": 0}
    policies: dict[int, Policy] = {}
    final_after: dict[tuple[datetime, int], datetime] = {}  # (deadline, late_upload_days) -> when final
    for record in due:
        policy = policies.setdefault(record.region_id, policy_for_region(record.region))
        kind = (
            EvaluationKind.DEFAULT
            if policy.on_timeout == OnTimeout.DEFAULT_SATISFIED
            else EvaluationKind.UNEVALUATED
        )
        assert record.rating_deadline is not None  # the query asked for rating_deadline < now
        # A device may still upload a rating made before the deadline from its offline buffer (judged by
        # rated_at, upload_window.judge_upload): the case is final once that grace is over too.
        grace = (record.rating_deadline, policy.late_upload_days)
        if grace not in final_after:
            final_after[grace] = late_upload_deadline(*grace)
        if now <= final_after[grace]:
            continue
        if _write_marker(record, kind, record.rating_deadline):
            counts[kind] += 1
    return counts


def _write_marker(record: ServiceRecord, kind: str, at: datetime) -> bool:
    try:
        with transaction.atomic():
            marker = Evaluation.objects.create(
                record=record,
                target=Target.MATTER,
                stage=Stage.COMPLETION,
                grade=Grade.SATISFIED if kind == EvaluationKind.DEFAULT else None,
                channel=Channel.DEFAULT,
                kind=kind,
                assess_number=1,
                matter_id=record.matter_id,
                staff_id=record.staff_id,
                window_id=record.window_id,
                department_id=record.department_id,
                region_id=record.region_id,
                rated_at=at,
            )
            evaluation_recorded.send(sender=Evaluation, evaluation=marker)
    except IntegrityError:
        return False  # rated (or marked by another worker) a moment ago
    return True
