"""Signals sent by the intake service inside its transaction (DESIGN §3: evaluations imports no other app).

- ``evaluation_recorded(evaluation)``: every new rating or timeout marker.
- ``evaluations_recorded(evaluations)``: the same for many ratings written together by one INSERT (a
  bulk call's, services.intake_set), in order; a receiver does for the list what it does for one
  (set-based where it can); ``bad_evaluations_recorded(evaluations)`` then for the bad ones among them,
  a receiver that opens work orders returning {evaluation id: order number}.
- ``evaluation_ruled(evaluation, reason, by, at)``: the office ruled a burst-flagged rating 刷评 or
  恶意评价 on review (services.flags); a receiver ends what the rating started (its open work order).
- ``record_completed(record)``: a case has just become completed (the devices app shows it on the
  window's evaluator so the citizen can rate it there).
- ``demo_seeded(months)``: ``seed_demo`` has loaded its data; other apps add their demo rows.
- ``bad_evaluation_recorded(evaluation)``: a new active rating of grade 1-2. A receiver that opens a
  work order returns the order's number; the intake service reports the first number it gets.
- ``work_calendar_changed(years)``: rows of the holiday calendar (WorkCalendar) of ``years`` were added,
  changed or deleted. Unlike the others it is sent once the transaction commits, once per transaction
  with every year it touched (the workorders app recomputes the due dates counted across them).
"""

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import Signal, receiver

from .models import WorkCalendar

evaluation_recorded = Signal()
evaluations_recorded = Signal()
bad_evaluation_recorded = Signal()
bad_evaluations_recorded = Signal()
evaluation_ruled = Signal()
demo_seeded = Signal()
record_completed = Signal()
work_calendar_changed = Signal()


class _CalendarChange:
    """The on-commit hook of one transaction: the years it changed, sent together when it commits."""

    def __init__(self, years: set[int]) -> None:
        self.years = years
        self.sent = False
        self.__qualname__ = "work_calendar_changed"  # Django names a failing robust hook by it

    def __call__(self) -> None:
        self.sent = True
        work_calendar_changed.send(sender=WorkCalendar, years=frozenset(self.years))


def calendar_changed(years: Iterable[int], *, using: str | None = None) -> None:
    """Announce that the calendar of ``years`` changed: ``work_calendar_changed`` goes out when the
    transaction commits (at once outside one), once for all the years changed in it.

    Saving or deleting a WorkCalendar row calls this by itself (the receivers below: the admin, ``workdays
    sync``, the shell); a writer that bypasses model signals (``bulk_create``, ``update``, raw SQL) calls it.
    """
    changed = set(years)
    if not changed:
        return
    connection = transaction.get_connection(using)
    for hook in connection.run_on_commit:  # (savepoint ids, callable, robust), dropped on rollback
        if isinstance(hook[1], _CalendarChange) and not hook[1].sent:
            hook[1].years |= changed
            return
    transaction.on_commit(_CalendarChange(changed), using=using, robust=True)


def _year(day: date | str) -> int:
    return date.fromisoformat(day[:10]).year if isinstance(day, str) else day.year


@receiver(pre_save, sender=WorkCalendar, dispatch_uid="evaluations.calendar.before")
def _calendar_row_moving(sender, instance: WorkCalendar, using: str, **kwargs) -> None:
    """A row whose date is edited also changes the year it leaves."""
    if instance.pk is not None:
        before = sender.objects.using(using).filter(pk=instance.pk).values_list("date", flat=True).first()
        if before is not None:
            calendar_changed({before.year}, using=using)


@receiver(post_save, sender=WorkCalendar, dispatch_uid="evaluations.calendar.saved")
@receiver(post_delete, sender=WorkCalendar, dispatch_uid="evaluations.calendar.deleted")
def _calendar_row_changed(sender, instance: WorkCalendar, using: str, **kwargs) -> None:
    calendar_changed({_year(instance.date)}, using=using)
