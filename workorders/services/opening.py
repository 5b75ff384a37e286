"""Opening a work order for a bad rating, inside the intake transaction (DESIGN §3)."""

from django.db import connection
from django.utils import timezone

from evaluations.models import Evaluation, Region, Target
from evaluations.services.composed import insert_rows
from workorders.models import Category, Source, WorkOrder

from .events import log_created, log_created_many

# Tags that name a problem between departments or steps (Tianjin art. 20 (三) 综合协调).
COMPLEX_TAGS = {"M1-06", "M2-04"}


def suggested_category(evaluation: Evaluation) -> str:
    """Staff and environment problems are 立整立改; cross-department ones 综合协调; the rest 限时整改."""
    if set(evaluation.tags) & COMPLEX_TAGS:
        return Category.COMPLEX
    if evaluation.target == Target.STAFF:
        return Category.SIMPLE
    return Category.GENERAL


def managing_region(region: Region) -> Region:
    """The office that supervises a service given in ``region``: the region's own at county level and
    above; the county's for a township or a village (Ganzhou art. 19: 乡镇、村级 by the county office).

    Called with the place the service was given (the rating's region), not the handling department's:
    a city department's service at a village service point is the county's to supervise."""
    while region.level > Region.Level.COUNTY and region.parent_id:
        parent = region.parent
        assert parent is not None  # parent_id is set
        region = parent
    return region


# Number prefixes: CP 差评 for a bad rating, JC 监督查评 for a supervision finding.
_PREFIX: dict[str, str] = {Source.RATING: "CP", Source.SUPERVISION: "JC"}


def next_number(at, source: str = Source.RATING) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('workorders_number_seq')")
        (value,) = cursor.fetchone()
    return _numbered(value, at, source)


_NUMBERS_AND_IDS = (
    "SELECT nextval('workorders_number_seq'), nextval(pg_get_serial_sequence('workorders_workorder', 'id'))"
    " FROM generate_series(1, %s)"
)


def _next_values(count: int) -> list[tuple[int, int]]:
    """``count`` numbers and, with each, the id its order will have: one statement for both, so that
    the order's INSERT needs no RETURNING and goes with the rating's other rows (services.together)."""
    with connection.cursor() as cursor:
        cursor.execute(_NUMBERS_AND_IDS, [count])
        return [(value, order_id) for value, order_id in cursor.fetchall()]


def _numbered(value: int, at, source: str) -> str:
    return f"{_PREFIX[source]}{timezone.localtime(at):%Y%m}-{value:06d}"  # the month in Beijing time


def workorder_open(*, evaluation: Evaluation) -> WorkOrder:
    return workorders_open([evaluation])[0]


def workorders_open(evaluations: list[Evaluation]) -> list[WorkOrder]:
    """One work order for each bad rating, in order: their numbers, rows and first events by one
    statement each (a bulk call's bad ratings are opened together)."""
    if not evaluations:
        return []
    orders = insert_rows(
        [
            WorkOrder(
                pk=order_id,
                number=_numbered(value, evaluation.rated_at, Source.RATING),
                evaluation=evaluation,
                category=suggested_category(evaluation),
                department=evaluation.department,
                office_region=managing_region(evaluation.region),
            )
            for evaluation, (value, order_id) in zip(evaluations, _next_values(len(evaluations)), strict=True)
        ]
    )
    log_created_many(orders)
    return orders


def workorder_open_for_supervision(
    *, department, region: Region, summary: str, category: str = Category.GENERAL, at=None
) -> WorkOrder:
    """A work order for a supervision finding (监督查评): the same lifecycle, deadlines and escalation
    as a bad review, with no rating behind it. ``region`` is where the problem was found; the office
    that supervises it is chosen as for a rating (managing_region). The caller (the supervision app)
    links its finding to the returned order; work orders know nothing of findings."""
    order = WorkOrder.objects.create(
        number=next_number(at or timezone.now(), Source.SUPERVISION),
        source=Source.SUPERVISION,
        summary=summary,
        category=category,
        department=department,
        office_region=managing_region(region),
    )
    log_created(order)
    return order


def on_bad_evaluation(sender, evaluation: Evaluation, **kwargs) -> str:
    """Receiver of evaluations.signals.bad_evaluation_recorded: returns the new order's number."""
    return workorder_open(evaluation=evaluation).number


def on_bad_evaluations(sender, evaluations: list[Evaluation], **kwargs) -> dict[int, str]:
    """Receiver of evaluations.signals.bad_evaluations_recorded: each rating's id -> its order's number."""
    return {
        evaluation.pk: order.number
        for evaluation, order in zip(evaluations, workorders_open(evaluations), strict=True)
    }
