"""Idempotency keys per sender (issue 14, point 1): who sent a ``client_id`` and what it carried.

- the same sender, ``client_id`` and body again: the first answer (a retry, a resent form);
- the same sender and ``client_id`` with another body: refused, ``client_id_reused`` (409);
- another sender's ``client_id`` is its own: it never sees, replays or blocks anything of the first.

"The same body" is a digest of the normalised rating fields, not of the raw request: key order,
whitespace, ``null`` for an omitted field, the order of tags, the time zone of a timestamp, and a
device's fresh nonce and timestamp headers do not make a body different.
"""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import models

from ..models import ClientKey, Evaluation, SenderKind
from .composed import insert_rows


@dataclass(frozen=True)
class Sender:
    """Whose ``client_id`` it is: a kind (SenderKind) and that sender's id."""

    kind: str
    id: str

    @classmethod
    def of(cls, kind: SenderKind, value: object) -> "Sender":
        return cls(str(kind), str(getattr(value, "pk", value)))


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# In-process callers that name no sender (imports, demo data, tests of the service itself).
SYSTEM = Sender(str(SenderKind.SYSTEM), "")


def body_digest(fields: Mapping[str, object]) -> str:
    """sha256 of ``fields`` normalised (see the module docstring); ``client_id`` itself is left out."""
    normal = {name: _normal(value) for name, value in fields.items() if name != "client_id"}
    text = json.dumps(normal, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _normal(value: object) -> object:
    if isinstance(value, datetime):  # the instant, in microseconds (year 1 +08:00 has no UTC datetime)
        if value.tzinfo is None:
            return value.isoformat()
        return (value - EPOCH) // timedelta(microseconds=1)
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list | tuple | set | frozenset):  # tags: a set of codes
        return sorted({str(_normal(item)) for item in value})
    if isinstance(value, models.Model):
        return value.pk
    return value


def key_find(sender: Sender, client_id: str) -> ClientKey | None:
    return (
        ClientKey.objects.select_related("evaluation")
        .filter(sender_kind=sender.kind, sender_id=sender.id, client_id=client_id)
        .first()
    )


def key_write(*, sender: Sender, client_id: str, digest: str, evaluation: Evaluation) -> ClientKey:
    """Write the key in the caller's transaction; a concurrent identical post raises IntegrityError.
    Its id is not read back (it may go with the rating's other rows, services.together)."""
    key = ClientKey(
        sender_kind=sender.kind,
        sender_id=sender.id,
        client_id=client_id,
        body_digest=digest,
        evaluation=evaluation,
    )
    return insert_rows([key], returning=False)[0]


# What a rating says, for the digest of a channel that hands the rating over as it was sent.
RATING_BODY = (
    "target", "stage", "grade", "channel", "tags", "comment", "assess_number", "rated_at",
    "evaluator_name", "evaluator_phone", "apply_to_theme", "window_only",
)  # fmt: skip


def rating_body(rating: object, **rated: models.Model | None) -> dict[str, object]:
    """The fields of ``rating`` (an intake Rating) and the case, window, staff or matter it rates."""
    body = {name: getattr(rating, name) for name in RATING_BODY}
    return body | {name: (value.pk if value is not None else None) for name, value in rated.items()}
