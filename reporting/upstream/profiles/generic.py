"""The generic profile: our own JSON + HMAC contract (docs/upstream.md "HTTP contract"), in the national
field names, with the national channel codes.

Telephone (12345 desk) and paper ratings have no pf of their own and go as 5 (政务大厅其他终端), the
code PROVINCIAL_INTERFACES.md names as the common choice; a default 满意 is pf 7 with assessType 2,
a 未评 marker pf 7 with assessType 3 (this contract can say it). Every rating and every work-order
milestone goes up; no service record is sent first (the receiving side takes the case fields with
each rating).
"""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations.models import Channel, Evaluation
from workorders.models import WorkOrder, WorkOrderEvent

from .. import mapping
from ..client import UpstreamClient, answer_of
from ..models import UpstreamMessage
from .base import NATIONAL_PF, Payload, Profile, Request


class Generic(Profile):
    name = "generic"
    label = _("通用（JSON + HMAC-SHA256）")
    pf = {**NATIONAL_PF, Channel.PHONE: "5", Channel.PAPER: "5"}
    sends_own_tag_codes = True  # the contract of docs/upstream.md: our tag codes (Tianjin annex)

    def rating(self, evaluation: Evaluation) -> Payload | None:
        return mapping.evaluation_payload(
            evaluation, pf=self.pf_code(evaluation), eval_detail=self.indicators(evaluation)
        )

    def milestone(
        self, kind: str, order: WorkOrder, event: WorkOrderEvent, evaluation: Evaluation
    ) -> Payload | None:
        return mapping.milestone_payload(kind, order, event, evaluation)

    def requests(self, rows: list[UpstreamMessage]) -> list[Request]:
        client = UpstreamClient.from_settings()
        body, headers = client.signed([_envelope(row) for row in rows])
        return [Request(rows=rows, url=settings.UPSTREAM_URL, body=body, headers=headers)]

    def read(self, raw: bytes, request: Request) -> dict[str, str]:
        return answer_of(raw).rejected


def _envelope(row: UpstreamMessage) -> dict:
    return {
        "idempotencyKey": row.idempotency_key,
        "type": row.kind,
        "createdAt": timezone.localtime(row.created_at).isoformat(timespec="seconds"),
        "data": row.payload,
    }
