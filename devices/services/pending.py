"""The case waiting for a rating at a window (PendingRating), shown on the window's evaluator.

It is set when a business system completes a case at the window (``record_completed``) or when the
window clerk asks the citizen to rate (the "请评价" button calls ``pending_set``: also a joint-approval
case at intake, Tianjin art. 13, or a rated case for its follow-up, 追评), replaced by the next case,
and cleared as soon as the rating it waits for (``rating_slot``) arrives through any channel (device,
QR code, desk entry) or its evaluation window times out (``evaluation_recorded``).
"""

from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.models import Evaluation, ServiceRecord, Stage, Target, Window

from ..models import PendingRating

SET_BY_LENGTH = PendingRating._meta.get_field("set_by").max_length


class PendingRefused(ValueError):
    """A case that cannot be shown at this window; ``message`` is for the clerk."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def rating_slot(*, completed: bool, consultation: bool) -> tuple[str, str]:
    """(stage, target) of the rating an evaluator asks for a case: before completion the window clerk
    (a joint-approval case's intake rating, Tianjin art. 13); for a consultation the clerk only
    (art. 15); otherwise the matter on completion (a window case's clerk is rated beside it)."""
    if not completed:
        return Stage.INTAKE, Target.STAFF
    return Stage.COMPLETION, Target.STAFF if consultation else Target.MATTER


def pending_set(
    *, window: Window, record: ServiceRecord, by: Any = None, assess_number: int = 1
) -> PendingRating:
    """Show ``record`` on ``window``'s evaluator, replacing whatever case was waiting there.

    ``by`` says who asked: a user (the clerk), an ApiKey (the business system) or a short text.
    ``assess_number`` 2 offers a rated case for its follow-up (追评).
    A case of another hall is refused: no evaluator there could have its rating accepted.
    """
    if record.hall_id is not None and record.hall_id != window.hall_id:
        raise PendingRefused(_("该办件不属于本大厅，不能在本窗口评价。"))
    # One statement, safe when the clerk and the business system act at the same moment.
    pending = PendingRating(
        window=window, record=record, set_at=timezone.now(), set_by=_label(by), assess_number=assess_number
    )
    with transaction.atomic():
        PendingRating.objects.bulk_create(
            [pending],
            update_conflicts=True,
            unique_fields=["window"],
            update_fields=["record", "set_at", "set_by", "assess_number"],
        )
    return pending


def pending_clear(*, record_id: int, assess_number: int | None = None) -> None:
    """The case has been rated (or timed out): no evaluator offers it any more."""
    waiting = PendingRating.objects.filter(record_id=record_id)
    if assess_number is not None:
        waiting = waiting.filter(assess_number=assess_number)
    waiting.delete()


def pending_for_window(window_id: int | None) -> PendingRating | None:
    """The case waiting at the window, with what the evaluator shows; None once its evaluation
    window has closed or the rating it waits for exists (a clerk may have offered a rated case again
    as a first rating; only a follow-up offer shows a rated case)."""
    if window_id is None:
        return None
    pending = (
        PendingRating.objects.select_related("record__matter", "record__staff")
        .filter(window_id=window_id)
        .exclude(record__rating_deadline__lt=timezone.now())
        .first()
    )
    if pending is None:
        return None
    record = pending.record
    stage, target = rating_slot(
        completed=record.status == ServiceRecord.Status.COMPLETED, consultation=record.is_consultation
    )
    filled = Evaluation.objects.filter(
        record=record, target=target, stage=stage, assess_number=pending.assess_number
    ).exists()
    return None if filled else pending


def _label(by: Any) -> str:
    if by is None:
        return ""
    for attribute in ("get_username", "name"):  # a user, an ApiKey
        value = getattr(by, attribute, None)
        if value is not None:
            return str(value() if callable(value) else value)[:SET_BY_LENGTH]
    return str(by)[:SET_BY_LENGTH]


# --- receivers, connected in DevicesConfig.ready() ----------------------------------------------


def on_record_completed(sender: Any, record: ServiceRecord, **kwargs: Any) -> None:
    """A case completed at a window is offered on that window's evaluator (same transaction)."""
    window = record.window  # None without a query when window_id is None
    if window is None:
        return
    if record.hall_id is None or record.hall_id == window.hall_id:
        pending_set(window=window, record=record, by=record.source or _("业务系统"))


def on_evaluation_recorded(sender: Any, evaluation: Evaluation, **kwargs: Any) -> None:
    """The rating the evaluator waits for (or the matter's timeout marker) takes the waiting case off
    it: the matter on completion; the clerk at intake, or on completion of a consultation. A window
    case's staff rating alone leaves it there, the matter still to be rated."""
    record_id, number = evaluation.record_id, evaluation.assess_number
    if not record_id or not _may_wait(evaluation):
        return
    if evaluation.target == Target.MATTER and evaluation.stage == Stage.COMPLETION:
        pending_clear(record_id=record_id, assess_number=number)
    elif evaluation.target == Target.STAFF:
        waiting_for_staff = (
            Q(record__status=ServiceRecord.Status.ACCEPTED)
            if evaluation.stage == Stage.INTAKE
            else Q(record__consultation=True) | Q(record__matter__consultation_only=True)
        )
        PendingRating.objects.filter(waiting_for_staff, record_id=record_id, assess_number=number).delete()


def on_evaluations_recorded(sender: Any, evaluations: list[Evaluation], **kwargs: Any) -> None:
    """Receiver of evaluations_recorded: each rating as one (a DELETE only where a case waits)."""
    for evaluation in evaluations:
        on_evaluation_recorded(sender, evaluation)


# Read with the case by the intake's locked read (evaluations.services.intake.CASE_FACTS).
WAITING_FACT = "has_pending_rating"


def waiting_fact() -> Exists:
    """Whether any evaluator shows the case (OuterRef("pk")): registered in DevicesConfig.ready()."""
    return Exists(PendingRating.objects.filter(record_id=OuterRef("pk")))


def _may_wait(evaluation: Evaluation) -> bool:
    """False only when the intake's locked read saw that no evaluator shows the case: no DELETE then.
    The read holds the case's lock; a case offered after it is caught by pending_for_window's
    check that the rating it waits for exists, as a DELETE racing that offer would have been."""
    if not Evaluation._meta.get_field("record").is_cached(evaluation):
        return True
    return getattr(evaluation.record, WAITING_FACT, True) is not False
