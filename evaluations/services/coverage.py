"""Which cases and clerks one rating covers (Tianjin art. 12-15): a batch's or a theme's unrated
cases, the clerk of a batch at a window or of a joint approval, and the split of a combined rating's
tags between clerk and matter. Read by the intake service (evaluations/services/intake.py), which
writes the rows."""

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef

from ..models import BAD_GRADES, CaseChannel, Evaluation, Policy, ServiceRecord, Staff, Stage, Tag, Target
from ..models.records import CONSULTATION_CASES
from ..refusals import Refusal

if TYPE_CHECKING:
    from .intake import Rating


def cases_covered(rating: "Rating", record: ServiceRecord, now: datetime) -> Sequence[ServiceRecord | None]:
    """The case itself, plus the open, unrated cases of its batch or theme for a first matter rating.

    Tianjin art. 12: a batch takes one rating for all its cases. Art. 14: a theme rating
    (``apply_to_theme``, the default) applies to the theme's matters not rated one by one; a rating
    with ``apply_to_theme=False`` rates this matter alone, and a later theme rating leaves it alone.
    A consultation in the batch or theme is not rated (art. 15), so it is not covered either.
    """
    if rating.target != Target.MATTER or rating.assess_number != 1:
        return [record]
    if record.batch_no:
        siblings = ServiceRecord.objects.filter(batch_no=record.batch_no)
    elif record.theme_no and rating.apply_to_theme:
        siblings = ServiceRecord.objects.filter(theme_no=record.theme_no)
    else:
        return [record]
    rated = Evaluation.objects.filter(record=OuterRef("pk"), target=Target.MATTER, stage=Stage.COMPLETION)
    others = (
        siblings.exclude(pk=record.pk)
        .filter(status=ServiceRecord.Status.COMPLETED, rating_deadline__gte=now)
        .exclude(Exists(rated))
        .exclude(CONSULTATION_CASES)
        .select_related("matter", "department", "region", "window", "staff")
        .order_by("pk")
        .select_for_update(of=("self",))
    )
    return [record, *others]


def staff_covered(
    rating: "Rating", record: ServiceRecord, cases: Sequence[ServiceRecord | None], staff: Staff | None
) -> list[tuple[ServiceRecord, Staff]]:
    """The cases whose clerk a first matter rating at completion also rates, each with that clerk.

    Tianjin art. 12 (a batch at a window) and art. 13 (joint approval, at completion): one rating
    applies to the staff and the matter. Only cases handled at a window with a known clerk who has
    no completion rating yet; the case rated names its clerk (``staff``, else its own).
    """
    if rating.target != Target.MATTER or rating.stage != Stage.COMPLETION or rating.assess_number != 1:
        return []
    joint = bool(record.is_joint_case)  # type: ignore[attr-defined]
    if not (record.batch_no or joint):
        return []
    window_like = {record.pk} if record.channel == CaseChannel.WINDOW or joint else set()
    covered = [case for case in cases if case is not None] if record.batch_no else [record]
    pairs = [
        (case, (staff or case.staff) if case.pk == record.pk else case.staff)
        for case in covered
        if case.pk in window_like or case.channel == CaseChannel.WINDOW
    ]
    with_clerk = [(case, person) for case, person in pairs if person is not None]
    rated = set(
        Evaluation.objects.filter(
            record__in=[case for case, _person in with_clerk],
            target=Target.STAFF,
            stage=Stage.COMPLETION,
            assess_number=1,
        ).values_list("record_id", flat=True)
    )
    return [(case, person) for case, person in with_clerk if case.pk not in rated]


def split_staff_tags(rating: "Rating", policy: Policy) -> list[str]:
    """A rating of staff and matter at once carries the tags of both (Tianjin art. 12-13): the matter's
    stay on the rating, the staff's are returned. A bad one names the bad content of each."""
    codes = list(dict.fromkeys(rating.tags))
    found = {tag.code: tag for tag in Tag.objects.filter(code__in=codes, active=True)}
    by_target: dict[str, list[str]] = {Target.MATTER: [], Target.STAFF: []}
    for code in codes:
        tag = found.get(code)
        if tag is None:
            raise Refusal("tag_unknown", field="tags", tag=code)
        if tag.grade != rating.grade:
            raise Refusal("tag_mismatch", field="tags", tag=tag.text)
        by_target[tag.target].append(code)
    bad = rating.grade in BAD_GRADES
    if policy.bad_needs_reason and bad and not (by_target[Target.MATTER] and by_target[Target.STAFF]):
        raise Refusal("reason_required_each", field="tags")
    rating.tags = by_target[Target.MATTER]
    return by_target[Target.STAFF]
