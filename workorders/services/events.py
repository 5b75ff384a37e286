"""The work order's timeline: one function per kind of event, the only writers of WorkOrderEvent."""

from evaluations.models import User
from evaluations.services.composed import insert_rows
from workorders.models import WorkOrder, WorkOrderEvent

Kind = WorkOrderEvent.Kind


def _write(order: WorkOrder, kind: str, *, actor: User | None = None, note: str = "", **fields):
    return WorkOrderEvent.objects.create(order=order, kind=kind, actor=actor, note=note.strip(), **fields)


def log_created(order: WorkOrder) -> WorkOrderEvent:
    return _write(order, Kind.CREATED, to_state=order.state)


def log_created_many(orders: list[WorkOrder]) -> list[WorkOrderEvent]:
    """``log_created`` for orders opened together, by one INSERT (their ids not read back: a bad
    rating's goes with its other rows, evaluations.services.together)."""
    return insert_rows(
        [WorkOrderEvent(order=order, kind=Kind.CREATED, to_state=order.state, note="") for order in orders],
        returning=False,
    )


def log_transition(
    order: WorkOrder, *, action: str, before: str, by: User | None, note: str = ""
) -> WorkOrderEvent:
    return _write(
        order, Kind.TRANSITION, actor=by, note=note, action=action, from_state=before, to_state=order.state
    )


def log_deadline(order: WorkOrder, *, by: User | None, note: str) -> WorkOrderEvent:
    """The due date moved: days given back after an appeal, an extension decided."""
    return _write(order, Kind.DEADLINE, actor=by, note=note)


def log_extension_request(order: WorkOrder, *, by: User, note: str) -> WorkOrderEvent:
    return _write(order, Kind.EXTENSION, actor=by, note=note)


def log_warning(order: WorkOrder, *, note: str, action: str = "") -> WorkOrderEvent:
    """The rectification limit is near (action ""), or the contact limit (action "contact")."""
    return _write(order, Kind.WARNING, note=note, action=action)


def log_overdue(order: WorkOrder, *, note: str, action: str = "") -> WorkOrderEvent:
    """Past the due date (action ""), the contact limit ("contact"), or an appeal not reviewed in time
    ("appeal_review")."""
    return _write(order, Kind.OVERDUE, note=note, action=action)


def log_reveal(order: WorkOrder, *, by: User, note: str, action: str = "") -> WorkOrderEvent:
    """A look at the citizen's full phone (action ""), or at the free texts unmasked ("text")."""
    return _write(order, Kind.REVEAL, actor=by, note=note, action=action)


def log_public_reply(order: WorkOrder, *, by: User, note: str) -> WorkOrderEvent:
    """The office approved the public version of the reply (issue 14)."""
    return _write(order, Kind.NOTE, actor=by, note=note, action="publish_reply")


def log_contact(order: WorkOrder, *, by: User | None, note: str) -> WorkOrderEvent:
    return _write(order, Kind.CONTACT, actor=by, note=note)


def log_reminder(order: WorkOrder, *, by: User, note: str, action: str) -> WorkOrderEvent:
    """A 催办 by the supervising office, on the timeline as a note."""
    return _write(order, Kind.NOTE, actor=by, note=note, action=action)
