"""Writing the outbox: receivers of the intake and work-order signals, inside the sender's transaction.

``evaluation_recorded`` is sent for every rating and every timeout marker, ``workorder_transitioned``
for every work-order state change, each inside the transaction that writes them. The row written
here commits or rolls back with them: a message exists exactly when what it reports does. Only the
nudge to the sender waits for the commit (CONVENTIONS §2).
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import ForeignKey
from django.utils import timezone

from evaluations.models import Evaluation
from evaluations.services.composed import insert_rows
from workorders.models import WorkOrder, WorkOrderEvent

from ..models import UpstreamMessage
from . import mapping
from .profiles import current_profile
from .push import start_pusher

logger = logging.getLogger(__name__)

# The relations a payload reads; a rating from the intake service has them all in hand already.
RELATIONS = ("record", "matter", "department", "region", "window", "staff")

_suppressed: ContextVar[bool] = ContextVar("upstream_outbox_suppressed", default=False)


@contextmanager
def outbox_suppressed() -> Iterator[None]:
    """Write no outbox rows inside this block (a historical import of data already reported)."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


def upstream_enqueue(
    *,
    kind: str,
    evaluation: Evaluation,
    key: str,
    payload: dict[str, Any],
    profile: str,
    order: WorkOrder | None = None,
    now: datetime | None = None,
) -> UpstreamMessage:
    """Write one message, due now, in the caller's transaction (no savepoint: it is on the intake path)."""
    message = _message(kind, evaluation, key, payload, profile, now or timezone.now(), order=order)
    message.save(force_insert=True)
    if settings.UPSTREAM_URL:
        transaction.on_commit(start_pusher, robust=True)
    return message


def on_evaluation_recorded(sender: Any, evaluation: Evaluation, **kwargs: Any) -> None:
    """Receiver of evaluations.signals.evaluation_recorded: a rating or a default / 未评 marker."""
    on_evaluations_recorded(sender, [evaluation])


def on_evaluations_recorded(sender: Any, evaluations: list[Evaluation], **kwargs: Any) -> None:
    """Receiver of evaluations.signals.evaluations_recorded: the messages of many ratings, in order, by
    one INSERT (and one query for the services a service-first profile has sent already)."""
    if _suppressed.get() or not evaluations:
        return
    profile = current_profile()
    now = timezone.now()
    messages: list[UpstreamMessage] = []
    rated: list[tuple[Evaluation, dict[str, Any]]] = []
    for evaluation in map(_with_relations, evaluations):
        payload = profile.rating(evaluation)
        if payload is not None:  # None: the profile cannot say this (未评, a staff rating, …): it stays local
            rated.append((evaluation, payload))
    services = {e.pk: profile.service(e) for e, _payload in rated} if profile.service_first else {}
    keys = [service[0] for service in services.values() if service is not None]
    sent: set[str] = set()
    if keys:  # no query (not even one composed for nothing) without a service-first profile
        found = UpstreamMessage.objects.filter(idempotency_key__in=keys)
        sent = set(found.values_list("idempotency_key", flat=True))
    for evaluation, payload in rated:
        service = services.get(evaluation.pk)
        if service is not None and service[0] not in sent:
            # The platform refuses a rating of a service it has not received: the record goes first.
            sent.add(service[0])
            messages.append(
                _message(UpstreamMessage.Kind.SERVICE, evaluation, service[0], service[1], profile.name, now)
            )
        kind, key = mapping.evaluation_kind(evaluation), mapping.evaluation_key(evaluation)
        messages.append(_message(kind, evaluation, key, payload, profile.name, now))
    # One message by its composed INSERT (with the rating's other rows, evaluations.services.together),
    # many by one statement; no id is read back.
    insert_rows(messages, returning=False)
    if messages and settings.UPSTREAM_URL:
        transaction.on_commit(start_pusher, robust=True)


def on_workorder_transitioned(
    sender: Any, order: WorkOrder, action: str, event: WorkOrderEvent, **kwargs: Any
) -> None:
    """Receiver of workorders.signals.workorder_transitioned: dispatch, submit, revisit and void."""
    kind = mapping.MILESTONE_OF_ACTION.get(action)
    if kind is None or _suppressed.get() or order.evaluation is None:
        return  # a supervision order (监督查评) has no rating: the platform receives evaluations only
    evaluation = _with_relations(order.evaluation)
    profile = current_profile()
    payload = profile.milestone(kind, order, event, evaluation)
    if payload is None:
        return  # the profile's platform takes no work-order milestones
    upstream_enqueue(
        kind=kind,
        evaluation=evaluation,
        order=order,
        key=mapping.milestone_key(kind, order, event),
        payload=payload,
        profile=profile.name,
    )


def _message(
    kind: str,
    evaluation: Evaluation,
    key: str,
    payload: dict[str, Any],
    profile: str,
    due: datetime,
    order: WorkOrder | None = None,
) -> UpstreamMessage:
    return UpstreamMessage(
        kind=kind,
        profile=profile,
        evaluation=evaluation,
        order=order,
        case_key=mapping.case_key(evaluation),
        idempotency_key=key,
        payload=payload,
        next_attempt_at=due,
        sent_body="",  # its db_default would be an expression Django resolves for every INSERT
    )


def _with_relations(evaluation: Evaluation) -> Evaluation:
    """``evaluation`` itself when its relations are loaded, else a copy that loads them in one query."""
    for name in RELATIONS:
        field = Evaluation._meta.get_field(name)
        assert isinstance(field, ForeignKey)  # RELATIONS are all Evaluation's foreign keys
        if getattr(evaluation, field.attname) is not None and not field.is_cached(evaluation):
            return Evaluation.objects.select_related(*RELATIONS).get(pk=evaluation.pk)
    return evaluation
