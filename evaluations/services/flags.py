"""The office's decision on a burst-flagged rating (the review queue, /reviews/flags/).

``flag_review_decide`` writes one append-only ``FlagReview`` (who, when, decision, reason) and the
matching append-only ``Ruling`` (``valid`` for 确认有效, ``ruled`` for 刷评; the database copies it onto
the rating's validity, the rated columns never change), in one transaction under a row lock, so two
officers cannot both decide. A ruling needs a reason: it takes
a citizen's rating out of every figure (自愿真实; 51号 五(二) "排除误评和恶意差评" asks for a
verified finding). The rollups pick the decision up from ``decided_at`` (reporting/rollups/build.py).
A ruling also sends ``evaluation_ruled`` in the same transaction: the work order a ruled bad rating
opened is withdrawn with it (workorders.services.withdrawal), so no department is chased to rectify it.
"""

from datetime import datetime

from django.contrib.admin.models import CHANGE
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..audit import audit
from ..models import Evaluation, FlagDecision, FlagReview, RulingSource, User, Validity
from ..signals import evaluation_ruled
from .rulings import ruling_record

REASON_LIMIT = 200  # Evaluation.validity_reason and FlagReview.reason

MESSAGES = {
    "decision_invalid": gettext_lazy("请选择“确认有效”或“认定刷评或恶意评价”。"),
    "reason_required": gettext_lazy("认定为刷评或恶意评价时，请填写认定理由。"),
    "reason_too_long": gettext_lazy("理由不能超过 %(limit)d 字。"),
    "not_flagged": gettext_lazy("这条评价没有被标记为待核查。"),
    "already_reviewed": gettext_lazy("这条评价已经核查过了，核查结论不能更改。"),
    "not_valid": gettext_lazy("这条评价已被认定无效（%(validity)s），无需再核查。"),
}


class FlagReviewRefused(Exception):
    """The decision was not taken; nothing has been written."""

    def __init__(self, code: str, *, field: str = "", **params: object) -> None:
        self.code, self.field = code, field
        self.message = str(MESSAGES[code]) % params if params else str(MESSAGES[code])
        super().__init__(f"{code}: {self.message}")


def flag_review_decide(
    *, evaluation: Evaluation, decision: str, reason: str, by: User, now: datetime | None = None
) -> FlagReview:
    """Confirm a flagged rating (it counts) or rule it 刷评/恶意评价 (it leaves every figure)."""
    reason = reason.strip()
    if decision not in FlagDecision.values:
        raise FlagReviewRefused("decision_invalid", field="decision")
    if decision == FlagDecision.RULED and not reason:
        raise FlagReviewRefused("reason_required", field="reason")
    if len(reason) > REASON_LIMIT:
        raise FlagReviewRefused("reason_too_long", field="reason", limit=REASON_LIMIT)
    now = now or timezone.now()
    with transaction.atomic():
        rating = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        if not rating.flagged:
            raise FlagReviewRefused("not_flagged")
        if FlagReview.objects.filter(evaluation=rating).exists():
            raise FlagReviewRefused("already_reviewed")
        if rating.validity != Validity.VALID:
            raise FlagReviewRefused("not_valid", validity=rating.get_validity_display())
        review = FlagReview.objects.create(
            evaluation=rating, decision=decision, reason=reason, decided_by=by, decided_at=now
        )
        outcome = Validity.RULED if decision == FlagDecision.RULED else Validity.VALID
        ruling_record(
            evaluation=rating, outcome=outcome, reason=reason, source=RulingSource.FLAG_REVIEW, by=by, at=now
        )
        if decision == FlagDecision.RULED:  # its receivers answer what the ruling ended (a work order)
            ended = evaluation_ruled.send(sender=Evaluation, evaluation=rating, reason=reason, by=by, at=now)
            review.ended = tuple(str(answer) for _receiver, answer in ended if answer)
        message = _("待核查评价：%(decision)s") % {"decision": review.get_decision_display()}
        audit(by, rating, CHANGE, f"{message}{'：' + reason if reason else ''}")
    return review
