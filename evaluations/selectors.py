"""Reads for the citizen pages: which window a static QR names, and where a case stands."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from .models import (
    CaseChannel,
    Evaluation,
    EvaluationKind,
    ServiceMatter,
    ServiceRecord,
    Staff,
    Stage,
    Target,
    Window,
)
from .models.records import CONSULTATION_CASES
from .services import duty

OPEN, EXPIRED, RATED, NOT_COMPLETED = "open", "expired", "rated", "not_completed"


def window_for_token(token: str) -> Window | None:
    return (
        Window.objects.select_related("hall").filter(qr_token=token, active=True, hall__active=True).first()
    )


def staff_on_duty(window: Window) -> list[Staff]:
    """Who is signed in at the window now (the static QR page rates them, or the window alone)."""
    return duty.on_duty_at(window)


def window_matters(window: Window) -> QuerySet[ServiceMatter]:
    return (
        ServiceMatter.objects.filter(department__windows=window, active=True)
        .select_related("department")
        .order_by("department__name", "code")
        .distinct()
    )


# ---- the per-case link: what it offers ---------------------------------------------------------

# The page's steps: the first rating at completion, the window rating at intake of a joint-approval
# case (Tianjin art. 13), the one follow-up (追评, assess number 2; 51号 三(一)).
FIRST, INTAKE, FOLLOW_UP = "first", "intake", "follow_up"
NOT_RATED = "not_rated"  # a consultation finished online (Tianjin art. 15)
THEME_LISTED = 10


@dataclass
class CaseOffer:
    """What the case page shows before anyone submits; the intake service still decides.

    ``state`` is OPEN when there is something to rate, else the notice to show. ``targets`` are the
    rating blocks of ``step``, the first one required; ``staff_and_matter`` says that one rating
    applies to both (a batch or a joint-approval case at completion, Tianjin art. 12-13).
    """

    state: str
    step: str = FIRST
    targets: tuple[str, ...] = ()
    staff_and_matter: bool = False
    batch_size: int = 0
    theme_matters: list[str] = field(default_factory=list)  # unrated theme matters a theme rating covers
    theme_more: int = 0
    first_ratings: list[Evaluation] = field(default_factory=list)
    followed_up: bool = False
    intake_rated: bool = False

    @property
    def stage(self) -> str:
        return Stage.INTAKE if self.step == INTAKE else Stage.COMPLETION

    @property
    def assess_number(self) -> int:
        return 2 if self.step == FOLLOW_UP else 1


@dataclass
class _Facts:
    joint: bool
    window_like: bool
    consultation: bool
    ratings: list[Evaluation]

    def has(self, target: str, stage: str, number: int = 1) -> bool:
        return any((r.target, r.stage, r.assess_number) == (target, stage, number) for r in self.ratings)

    def active_first(self, target: str) -> Evaluation | None:
        for r in self.ratings:
            if (r.target, r.stage, r.assess_number, r.kind) == (
                target,
                Stage.COMPLETION,
                1,
                EvaluationKind.ACTIVE,
            ):
                return r
        return None


def _facts(record: ServiceRecord) -> _Facts:
    joint = record.is_joint
    return _Facts(
        joint=joint,
        window_like=record.channel == CaseChannel.WINDOW or joint,
        consultation=record.is_consultation,
        ratings=list(Evaluation.objects.filter(record=record).order_by("rated_at")),
    )


def case_offer(record: ServiceRecord, *, step: str | None = None, now: datetime | None = None) -> CaseOffer:
    """Where the case stands (``step`` None: for the page shown now), or the shape of ``step`` (for a
    submitted form, whatever has happened since it was shown)."""
    now = now or timezone.now()
    facts = _facts(record)
    if facts.consultation and (not facts.window_like or record.staff_id is None):
        return CaseOffer(NOT_RATED)
    submitted = step is not None
    if step is None:
        step, state = _step_now(record, facts, now)
        if state != OPEN:
            return CaseOffer(
                state,
                step=step,
                first_ratings=[r for t in Target.values if (r := facts.active_first(t)) is not None],
                followed_up=any(r.assess_number == 2 for r in facts.ratings),
                intake_rated=facts.has(Target.STAFF, Stage.INTAKE),
            )
    return _shape(record, facts, step, now, submitted=submitted)


def _primary(facts: _Facts) -> str:
    return Target.STAFF if facts.consultation else Target.MATTER


def _follow_ups(facts: _Facts, *, done_too: bool = False) -> tuple[str, ...]:
    """The targets rated once (actively) that may take their follow-up; ``done_too``: also those that
    have (a submitted form is parsed so that the service answers it, a resent one with its result)."""
    targets = dict.fromkeys((_primary(facts), Target.STAFF))
    return tuple(
        t
        for t in targets
        if facts.active_first(t) is not None and (done_too or not facts.has(t, Stage.COMPLETION, 2))
    )


def _step_now(record: ServiceRecord, facts: _Facts, now: datetime) -> tuple[str, str]:
    if record.status != ServiceRecord.Status.COMPLETED:
        if facts.joint and record.staff_id is not None and not facts.has(Target.STAFF, Stage.INTAKE):
            return INTAKE, OPEN
        return FIRST, NOT_COMPLETED
    if record.rating_deadline is not None and now > record.rating_deadline:
        return FIRST, EXPIRED
    if not facts.has(_primary(facts), Stage.COMPLETION):
        return FIRST, OPEN
    if _follow_ups(facts):
        return FOLLOW_UP, OPEN
    return FIRST, RATED


def _shape(
    record: ServiceRecord, facts: _Facts, step: str, now: datetime, *, submitted: bool = False
) -> CaseOffer:
    if step == INTAKE:
        return CaseOffer(OPEN, step=INTAKE, targets=(Target.STAFF,))
    if step == FOLLOW_UP:
        targets = _follow_ups(facts, done_too=submitted)
        if not targets:
            return _shape(record, facts, FIRST, now)  # nothing rated to follow up: the first rating's form
        return CaseOffer(
            OPEN,
            step=FOLLOW_UP,
            targets=targets,
            first_ratings=[r for t in targets if (r := facts.active_first(t)) is not None],
        )
    if facts.consultation:
        return CaseOffer(OPEN, targets=(Target.STAFF,))
    staff_open = (
        facts.window_like and record.staff_id is not None and not facts.has(Target.STAFF, Stage.COMPLETION)
    )
    both = staff_open and bool(record.batch_no or facts.joint)
    offer = CaseOffer(
        OPEN,
        targets=(Target.MATTER, Target.STAFF) if staff_open and not both else (Target.MATTER,),
        staff_and_matter=both,
    )
    if record.batch_no:
        offer.batch_size = ServiceRecord.objects.filter(batch_no=record.batch_no).count()
    elif record.theme_no:
        others = _theme_open(record, now)
        offer.theme_matters = list(
            others.order_by("pk").values_list("matter__name", flat=True)[:THEME_LISTED]
        )
        if len(offer.theme_matters) == THEME_LISTED:
            offer.theme_more = others.count() - THEME_LISTED
    return offer


def _theme_open(record: ServiceRecord, now: datetime) -> QuerySet[ServiceRecord]:
    """The other matters of the case's theme that a theme rating would cover (Tianjin art. 14)."""
    rated = Evaluation.objects.filter(record=OuterRef("pk"), target=Target.MATTER, stage=Stage.COMPLETION)
    return (
        ServiceRecord.objects.filter(
            theme_no=record.theme_no, status=ServiceRecord.Status.COMPLETED, rating_deadline__gte=now
        )
        .exclude(pk=record.pk)
        .exclude(Exists(rated))
        .exclude(CONSULTATION_CASES)
    )
