"""The one intake service every channel uses: a rating is accepted once, attributed, and checked
against the rules of the regulations (DESIGN §5; Tianjin art. 11-16; 国办发〔2019〕51号).

``evaluation_record`` validates, writes the rating (for a batch or a theme, one row per case) and
sends the signals in the same transaction, so a bad rating's work order exists exactly when the
rating does. A refusal raises ``Refusal`` and writes nothing.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import (
    BAD_GRADES,
    ClientKey,
    Evaluation,
    EvaluationKind,
    Region,
    ServiceMatter,
    ServiceRecord,
    Staff,
    Stage,
    Target,
    Window,
)
from ..policies import policy_for_region
from ..refusals import Refusal
from ..signals import bad_evaluation_recorded, evaluation_recorded
from . import coverage, duty
from .client_keys import SYSTEM, Sender, body_digest, key_find, key_write, rating_body
from .composed import insert_rows
from .intake_checks import check_case, check_not_self, check_reason_and_tags, check_shape
from .locked_case import has_applicant_phone, locked_case, rated_before, rating_id
from .prepared import server_binding
from .together import written_together
from .upload_window import judge_upload, judged_at, rated_time

ONCE_PER_CASE = "evaluation_once_per_case_target_stage"


@dataclass
class Rating:
    """What a rater said, as every channel hands it over."""

    target: str
    stage: str
    grade: int
    channel: str
    tags: list[str] = field(default_factory=list)
    comment: str = ""
    assess_number: int = 1
    rated_at: datetime | None = None
    client_id: str | None = None
    evaluator_name: str = ""
    evaluator_phone: str = ""
    device_serial: str = ""
    ip_address: str | None = None
    flag_reason: str = ""
    apply_to_theme: bool = True
    # Without a case: rate the window alone even if one person is on duty (a desk entry that says so).
    window_only: bool = False
    # Imported history: the rating counts, but its bad review was handled in the system it came from,
    # so no work order is opened today.
    historical: bool = False
    # A signed device's upload, possibly held in its offline buffer: the window is judged at rated_at,
    # and it is accepted up to policy.late_upload_days working days later, marked 补传
    # (upload_window.judge_upload).
    buffered: bool = False


@dataclass
class IntakeResult:
    evaluation: Evaluation
    created: bool
    work_order: str | None = None
    rows: list[Evaluation] = field(default_factory=list)


class RefusedOne(Exception):
    """One of several ratings recorded together was refused; none of them was written."""

    def __init__(self, index: int, refusal: Refusal) -> None:
        self.index, self.refusal = index, refusal
        super().__init__(f"rating {index}: {refusal}")


def evaluations_record_together(calls: Sequence[dict]) -> list[IntakeResult]:
    """Record the ratings of one submission (a case and its clerk, on the citizen page) in one
    transaction, each by ``evaluation_record(**call)``: all of them, or, on a refusal, none (RefusedOne)."""
    results: list[IntakeResult] = []
    with transaction.atomic():
        for index, call in enumerate(calls):
            try:
                results.append(evaluation_record(**call))
            except Refusal as refusal:
                raise RefusedOne(index, refusal) from refusal
    return results


def evaluation_record(
    *,
    rating: Rating,
    record: ServiceRecord | None = None,
    window: Window | None = None,
    staff: Staff | None = None,
    matter: ServiceMatter | None = None,
    by=None,
    now: datetime | None = None,
    sender: Sender | None = None,
    body: Mapping[str, object] | None = None,
    serial_no: str | None = None,
    scope: Region | None = None,
) -> IntakeResult:
    """Accept ``rating`` of ``record`` (or, without a case, of ``window``'s staff) or raise Refusal.

    ``now`` is the moment of intake; it defaults to the clock and is given only when replaying
    history (demo data, imports of past ratings) so the rules apply as they did then.

    ``rating.client_id`` is ``sender``'s (services.client_keys; the system's when none is named).
    ``body`` is what the sender sent, for a channel that derives part of the rating from the state
    of the case (a device); by default the digest is of the rating's own fields.

    ``serial_no`` instead of ``record``: the case with that serial number (a business system's), in
    ``scope``'s region or below when given (its key's); none is ``record_not_found``. Either way the
    case is found, read and locked by one statement (services.locked_case).
    """
    client_id, owner, digest, looked_up = rating.client_id, sender or SYSTEM, "", False
    with server_binding():  # the statements every rating repeats are prepared (services.prepared)
        try:
            with transaction.atomic():
                if record is not None or serial_no is not None:
                    pk = record.pk if record is not None else None
                    record = locked_case(pk=pk, serial_no=serial_no, scope=scope)
                if client_id:
                    rated = {"record": record, "window": window, "staff": staff, "matter": matter}
                    digest = body_digest(body if body is not None else rating_body(rating, **rated))
                    if record is not None and rated_before(record):
                        # Perhaps a retry: its first answer, found before an INSERT would fail on it.
                        key = key_find(owner, client_id)
                        if key is not None:
                            looked_up = True  # its answer or client_id_reused: nothing to look up again
                            return replay_of(key, digest)
                rows = rating_rows(
                    rating, record=record, window=window, staff=staff, matter=matter, by=by, now=now
                )
                reserved = rating_id(record) if record is not None else None
                if len(rows) == 1 and reserved is not None:
                    rows[0].pk = reserved  # its INSERT needs no RETURNING: sent with the rest
                with written_together():  # the rating, its outbox row and its key: one statement
                    result = rows_write(rows, historical=rating.historical)
                    if client_id:
                        evaluation = result.evaluation
                        key_write(sender=owner, client_id=client_id, digest=digest, evaluation=evaluation)
                return result
        except (IntegrityError, Refusal) as exc:
            # A client_id its sender used before gets the first answer, whatever the rules would say now
            # (a device retrying after the window closed, or two submissions racing), or client_id_reused
            # if the body differs. Looked up here, or before the rules when the case has a rating already
            # (locked_case.rated_before), so a first submission of a case costs no extra query.
            if client_id and digest and not looked_up:  # no digest: the case was not found
                replay = _replay(owner, client_id, digest)
                if replay is not None:
                    return replay
            if isinstance(exc, Refusal):
                raise
            constraint = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", "")
            if constraint == ONCE_PER_CASE:
                raise Refusal("follow_up_exists" if rating.assess_number == 2 else "already_rated") from exc
            raise


def _replay(sender: Sender, client_id: str, digest: str) -> IntakeResult | None:
    key = key_find(sender, client_id)
    return None if key is None else replay_of(key, digest)


def replay_of(key: ClientKey, digest: str) -> IntakeResult:
    """The first answer for a client_id used again with a body of ``digest``, or client_id_reused."""
    if key.body_digest and key.body_digest != digest:  # an empty digest: a key from before 0016
        raise Refusal("client_id_reused", field="client_id")
    evaluation = key.evaluation
    return IntakeResult(evaluation=evaluation, created=False, work_order=_work_order_of(evaluation))


def _work_order_of(evaluation: Evaluation) -> str | None:
    if evaluation.grade not in BAD_GRADES:
        return None  # only a bad rating opens a work order: no query for the others
    order = getattr(evaluation, "work_order", None)  # the workorders app's one-to-one, when installed
    return getattr(order, "number", None)


def rating_rows(rating: Rating, *, record, window, staff, matter, by, now) -> list[Evaluation]:
    """The rows ``rating`` writes (unsaved; the first is the rating itself), or Refusal. Reads only."""
    check_shape(rating)
    now = now or timezone.now()
    rated_at = rated_time(rating, now)
    staff_rows: list[Evaluation] = []  # a batch's or joint case's clerk (coverage.staff_covered)
    if record is not None:
        policy = policy_for_region(record.region)
        check_case(rating, record, policy, now, rated_at)
        staff = staff or record.staff
        if rating.target == Target.STAFF and staff is None:
            raise Refusal("staff_required", field="staff")
        cases = coverage.cases_covered(rating, record, judged_at(rating, now, rated_at))
        staff_cases = coverage.staff_covered(rating, record, cases, staff)
        staff_tags = coverage.split_staff_tags(rating, policy) if staff_cases else []
        base = {
            "matter": record.matter,
            "staff": staff,
            "window": record.window,
            "department": record.department,
            "region": record.region,
            # The evaluator of a case is its applicant, known by name (实名制, Tianjin art. 17); their
            # identity stays on the case and is not copied unless the channel names someone else.
            "evaluator_name": rating.evaluator_name,
            "evaluator_phone": rating.evaluator_phone,
            # Real name means the office can call back: a known applicant with a phone (51号: 100% revisit).
            "real_name": bool(rating.evaluator_phone) or has_applicant_phone(record),
        }
        staff_rows = [
            _staff_row(rating, case, person, staff_tags, base, rated_at, by) for case, person in staff_cases
        ]
    else:
        if window is None:
            raise Refusal("window_required", field="window")
        if rating.target != Target.STAFF or rating.stage != Stage.COMPLETION or rating.assess_number != 1:
            raise Refusal("stage_not_allowed", field="target")
        # Who served: the person named (who must have worked at this window that day), else the one
        # person on duty at rated_at; nobody or several on duty rates the window alone, never a guess.
        if staff is not None:
            if not duty.serves_window_on(staff, window, timezone.localdate(rated_at)):
                raise Refusal("staff_elsewhere", field="staff")
        elif not rating.window_only:
            staff = duty.sole_on_duty(window, rated_at)
        region = window.hall.region
        policy = policy_for_region(region)
        cases = [None]
        base = {
            "matter": matter,
            "staff": staff,
            "window": window,
            "department": duty.department_of_window_rating(window, staff, matter),
            "region": region,
            "evaluator_name": rating.evaluator_name,
            "evaluator_phone": rating.evaluator_phone,
            "real_name": bool(rating.evaluator_phone),
        }
    late_upload = judge_upload(rating, policy, now, rated_at)
    check_not_self(by, base["staff"], base["window"], rated_at, now)
    check_reason_and_tags(rating, policy)
    rows = [
        _new_row(rating, case, base, rated_at, by, primary=(case is None or case.pk == record.pk))
        for case in cases
    ]
    for row in rows + staff_rows:
        row.late_upload = late_upload  # 补传, fixed at INSERT like the rating itself
    return rows + staff_rows


def rows_write(rows: list[Evaluation], *, historical: bool = False) -> IntakeResult:
    """INSERT the rows of one rating and send their signals (a bad one's work order, its outbox row)."""
    created = insert_rows(rows)
    work_order = _announce(created, open_work_orders=not historical)
    return IntakeResult(evaluation=created[0], created=True, work_order=work_order, rows=created)


def _staff_row(
    rating: Rating,
    case: ServiceRecord,
    person: Staff,
    tags: list[str],
    base: dict,
    rated_at: datetime,
    by,
) -> Evaluation:
    """The clerk's row of a rating that applies to staff and matter (see coverage.staff_covered)."""
    row = _new_row(rating, case, base, rated_at, by, primary=False)
    row.target, row.tags, row.staff = Target.STAFF, tags, person
    return row


def _new_row(rating: Rating, case, base: dict, rated_at: datetime, by, *, primary: bool) -> Evaluation:
    attribution = dict(base)
    if case is not None and not primary:
        # A batch or theme sibling is attributed to its own matter, department and window.
        attribution.update(
            matter=case.matter,
            department=case.department,
            region=case.region,
            window=case.window,
            staff=case.staff,
        )
    return Evaluation(
        record=case,
        target=rating.target,
        stage=rating.stage,
        grade=rating.grade,
        tags=rating.tags,
        comment=rating.comment.strip(),
        channel=rating.channel,
        kind=EvaluationKind.ACTIVE,
        assess_number=rating.assess_number,
        client_id=rating.client_id if primary else None,
        device_serial=rating.device_serial,
        entered_by=by,
        rated_at=rated_at,
        ip_address=rating.ip_address,
        flagged=bool(rating.flag_reason),
        flag_reason=rating.flag_reason,
        **attribution,
    )


def _announce(rows: list[Evaluation], *, open_work_orders: bool = True) -> str | None:
    """Send the signals for each new row; return the work order number opened for the first one."""
    work_order = None
    for index, row in enumerate(rows):
        evaluation_recorded.send(sender=Evaluation, evaluation=row)
        # One complaint, one work order: a batch or theme rating's other rows count, but do not open more.
        if row.grade in BAD_GRADES and index == 0 and open_work_orders:
            for _receiver, number in bad_evaluation_recorded.send(sender=Evaluation, evaluation=row):
                if index == 0 and number and work_order is None:
                    work_order = str(number)
    return work_order
