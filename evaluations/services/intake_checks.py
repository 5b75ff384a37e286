"""The checks of the intake service's rules (services.intake): what a rating must be, and what the case
it rates must allow (Tianjin art. 11-17; 国办发〔2019〕51号). Each raises Refusal; none writes."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from ..models import (
    BAD_GRADES,
    CaseChannel,
    Channel,
    Evaluation,
    EvaluationKind,
    Grade,
    Policy,
    ServiceRecord,
    Staff,
    Stage,
    Tag,
    Target,
    User,
    Window,
)
from ..refusals import COMMENT_LIMIT, Refusal
from . import duty
from .upload_window import CLOCK_SKEW, judged_at

if TYPE_CHECKING:
    from .intake import Rating

# Window-handled and joint-approval cases: the staff at each visit, the matter once on completion.
WINDOW_RATINGS = {
    (Target.STAFF, Stage.INTAKE),
    (Target.STAFF, Stage.COMPLETION),
    (Target.MATTER, Stage.COMPLETION),
}
# Online, mobile, kiosk and hotline cases: the matter once on completion.
REMOTE_RATINGS = {(Target.MATTER, Stage.COMPLETION)}
# The vocabularies a rating is checked against, as sets (Choices.values builds a new list each call).
_GRADES, _TARGETS, _STAGES = frozenset(Grade.values), frozenset(Target.values), frozenset(Stage.values)
_RATED_CHANNELS = frozenset(Channel.values) - {Channel.DEFAULT}  # 默认好评 is the system's, never sent


def check_shape(rating: Rating) -> None:
    if rating.grade not in _GRADES:
        raise Refusal("grade_invalid", field="grade")
    if rating.target not in _TARGETS:
        raise Refusal("target_invalid", field="target")
    if rating.stage not in _STAGES:
        raise Refusal("stage_invalid", field="stage")
    if rating.channel not in _RATED_CHANNELS:
        raise Refusal("channel_invalid", field="channel")
    if rating.assess_number not in (1, 2):
        raise Refusal("assess_number_invalid", field="assess_number")
    if len(rating.comment) > COMMENT_LIMIT:
        raise Refusal("comment_too_long", field="comment", limit=COMMENT_LIMIT)


def check_case(
    rating: Rating, record: ServiceRecord, policy: Policy, now: datetime, rated_at: datetime
) -> None:
    if rated_at < record.accepted_at - CLOCK_SKEW:
        raise Refusal("rated_at_invalid", field="rated_at")
    # is_joint_case is annotated by the locked read in evaluation_record.
    window_like = record.channel == CaseChannel.WINDOW or record.is_joint_case  # type: ignore[attr-defined]
    if record.is_consultation:
        # Tianjin art. 15: a consultation finished online is not rated; in a hall only the clerk may be.
        if not window_like:
            raise Refusal("consultation_not_rated")
        if rating.target == Target.MATTER:
            raise Refusal("consultation_staff_only", field="target")
    allowed = WINDOW_RATINGS if window_like else REMOTE_RATINGS
    if (rating.target, rating.stage) not in allowed:
        raise Refusal("stage_not_allowed", field="stage")
    completed = record.status == ServiceRecord.Status.COMPLETED
    if rating.stage == Stage.COMPLETION and not completed:
        raise Refusal("not_completed")
    moment = judged_at(rating, now, rated_at)  # a device's upload: the moment it was rated
    if completed and record.rating_deadline is not None and moment > record.rating_deadline:
        raise Refusal("window_closed", days=policy.window_days)
    if rating.assess_number == 2:
        first = Evaluation.objects.filter(
            record=record,
            target=rating.target,
            stage=rating.stage,
            assess_number=1,
            kind=EvaluationKind.ACTIVE,
        )
        if not first.exists():
            raise Refusal("follow_up_without_first", field="assess_number")
    # A second rating of the same case, target and stage is stopped by the unique constraint
    # (see evaluation_record), which also holds when two submissions race.


def check_not_self(by, staff: Staff | None, window: Window | None, rated_at: datetime, now: datetime) -> None:
    """Nobody enters a rating of themselves or of a window they staff that day (the day rated or the
    day entered): ratings are the citizens' own, 自愿真实 (Tianjin art. 4; 51号 五(二))."""
    if not isinstance(by, User):
        return  # citizens, devices and business systems rate no one of their own
    own = Staff.objects.filter(user=by).first()
    if own is None:
        return
    if staff is not None and staff.pk == own.pk:
        raise Refusal("self_rating", field="staff")
    days = {timezone.localdate(rated_at), timezone.localdate(now)}
    if window is not None and window.pk in duty.windows_staffed(own, days):
        raise Refusal("self_rating", field="window")


def check_reason_and_tags(rating: Rating, policy: Policy) -> None:
    codes = list(dict.fromkeys(rating.tags))
    if policy.bad_needs_reason and rating.grade in BAD_GRADES and not codes and not rating.comment.strip():
        raise Refusal("reason_required", field="tags")
    if not codes:
        return
    found = {tag.code: tag for tag in Tag.objects.filter(code__in=codes, active=True)}
    for code in codes:
        tag = found.get(code)
        if tag is None:
            raise Refusal("tag_unknown", field="tags", tag=code)
        if tag.grade != rating.grade or tag.target != rating.target:
            raise Refusal("tag_mismatch", field="tags", tag=tag.text)
    rating.tags = codes
