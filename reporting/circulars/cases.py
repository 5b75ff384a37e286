"""Typical cases (典型案例) for a circular: the month's bad reviews an office may mark, and its marks."""

from django.db.models import QuerySet

from evaluations.models import Region
from workorders.models import Source, WorkOrder

from ..periods import Period
from .models import TypicalCase
from .snapshot import orders_in

CANDIDATE_ROWS = 50  # the newest unmarked bad reviews offered beside the marked ones


def month_bad_review_orders(region: Region, period: Period) -> QuerySet[WorkOrder]:
    """Work orders of bad reviews rated in ``period`` under ``region``'s offices (rating orders only)."""
    start, end = period.bounds
    return (
        orders_in(region)
        .filter(source=Source.RATING, evaluation__rated_at__gte=start, evaluation__rated_at__lt=end)
        .select_related("department", "evaluation__matter")
        .order_by("evaluation__rated_at", "number")
    )


def marked_orders(region: Region, period: Period) -> list[WorkOrder]:
    """The month's orders ``region``'s office marked as typical, oldest rating first."""
    marked = TypicalCase.objects.filter(region=region).values("order_id")
    return list(month_bad_review_orders(region, period).filter(pk__in=marked))


def candidate_orders(region: Region, period: Period) -> list[WorkOrder]:
    """What the draft page offers: the marked orders, then the newest unmarked ones of the month."""
    marked = marked_orders(region, period)
    others = (
        month_bad_review_orders(region, period)
        .exclude(pk__in=[order.pk for order in marked])
        .order_by("-evaluation__rated_at", "-number")[:CANDIDATE_ROWS]
    )
    return marked + sorted(others, key=lambda o: (o.evaluation.rated_at, o.number) if o.evaluation else ())
