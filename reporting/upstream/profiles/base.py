"""What every provincial profile provides (docs/upstream.md "Profiles"), and the helpers they share.

A profile turns our model into one platform's messages and speaks its envelope:

- ``rating`` / ``milestone``: the payload of a rating, a timeout marker or a work-order milestone in
  the platform's field names and codes — or ``None`` when the platform has no way to say it (the
  message then stays local and no outbox row is written);
- ``service``: the service record (办件服务) a rating belongs to, for platforms that refuse a rating
  whose service they have not received first; it is written just before the rating, so the per-case
  order of the outbox sends it first;
- ``requests``: the HTTP requests that carry a batch of rows (with its envelope and signature);
- ``read``: the answer to one request — the rows refused by name, or ``UpstreamError`` when the request
  was not taken at all (transient: the rows are tried again). A duplicate answer is a delivery.
"""

import urllib.request
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.utils.translation import gettext as _

from evaluations.http_post import post
from evaluations.models import Channel, Evaluation, EvaluationKind, Stage, Target
from workorders.models import WorkOrder, WorkOrderEvent

from ..client import MAX_ANSWER_BYTES, UpstreamError

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as StrOrPromise

    from ..models import UpstreamMessage

Codes = dict[str, str]
Payload = dict[str, str]

# pf, the rating channel, as every platform codes it (PROVINCIAL_INTERFACES.md, shared vocabulary):
# 1 PC, 2 移动端, 3 二维码, 4 政务大厅平板电脑 (window evaluator), 5 政务大厅其他终端, 6 短信, 7 系统默认评价.
# Telephone (12345 desk) and paper forms have no code of their own: each profile says which it uses.
NATIONAL_PF: Codes = {
    Channel.PC: "1",
    Channel.MOBILE: "2",
    Channel.QR: "3",
    Channel.DEVICE: "4",
    Channel.KIOSK: "5",
    Channel.SMS: "6",
    Channel.DEFAULT: "7",
}
DEFAULT_PF = "7"  # 系统默认评价: a default 满意 after the window closed, never disguised as a citizen's
# The platforms' answer to a repeat of (projectNo, assessNumber): the first copy is stored, so delivered.
DUPLICATE_ANSWER = "评价数据不可重复"


@dataclass
class Request:
    """One HTTP request of a batch: the rows it carries and the exact bytes sent."""

    rows: "list[UpstreamMessage]"
    url: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def text(self) -> str:
        return self.body.decode(errors="replace")


class Profile:
    name: ClassVar[str]
    label: ClassVar["StrOrPromise"]
    # pf per our channel; a timeout marker is always DEFAULT_PF.
    pf: ClassVar[Codes]
    service_first: ClassVar[bool] = False
    # How many rows one request carries (None: UPSTREAM_BATCH).
    per_request: ClassVar[int | None] = None
    # evalDetail for a tag without a national indicator code of this profile: our own tag code, or left out.
    sends_own_tag_codes: ClassVar[bool] = False

    def rating(self, evaluation: Evaluation) -> Payload | None:
        raise NotImplementedError

    def service(self, evaluation: Evaluation) -> tuple[str, Payload] | None:
        """(idempotency key, payload) of the service record ``evaluation`` rates, for service_first."""
        return None

    def milestone(
        self, kind: str, order: WorkOrder, event: WorkOrderEvent, evaluation: Evaluation
    ) -> Payload | None:
        return None

    def requests(self, rows: "list[UpstreamMessage]") -> list[Request]:
        raise NotImplementedError

    def read(self, raw: bytes, request: Request) -> dict[str, str]:
        """Idempotency key -> reason of every row of ``request`` the platform refused by name."""
        raise NotImplementedError

    def send(self, request: Request) -> bytes:
        http = urllib.request.Request(request.url, data=request.body, headers=request.headers, method="POST")
        return post(
            http,
            timeout=float(settings.UPSTREAM_TIMEOUT),
            peer=_("省级平台"),
            max_bytes=MAX_ANSWER_BYTES,
            error=UpstreamError,
        )

    # --- shared field helpers -------------------------------------------------------------------

    def pf_code(self, evaluation: Evaluation) -> str:
        if evaluation.kind != EvaluationKind.ACTIVE:
            return DEFAULT_PF
        return self.pf[evaluation.channel]

    def indicators(self, evaluation: Evaluation) -> str:
        """evalDetail: the national indicator codes of the rating's tags for this profile; a tag without
        one is left out (listed on the upstream admin page), or sent as our own code where the profile
        says so (``sends_own_tag_codes``)."""
        from ..models import TagIndicator

        if not evaluation.tags:
            return ""  # most ratings have no tag: no query
        codes = dict(
            TagIndicator.objects.filter(profile=self.name, tag__code__in=evaluation.tags).values_list(
                "tag__code", "code"
            )
        )
        sent = [codes.get(tag, tag if self.sends_own_tag_codes else "") for tag in evaluation.tags]
        return ",".join(code for code in sent if code)


def area_code(code: str) -> str:
    """12-digit division code: a 6-digit county code is padded with 000000."""
    return code + "000000" if len(code) == 6 else code


def task_codes(code: str) -> tuple[str, str]:
    """(taskCode, taskHandleItem): a 33-character 业务办理项 goes whole into taskHandleItem and its first
    31 characters into taskCode; a 31-character implementation code has no handle item."""
    return (code[:31], code) if len(code) == 33 else (code, "")


def service_number(evaluation: Evaluation) -> str:
    """服务次数: the intake (受理) is the case's first service, the completion (办结) its second."""
    return "1" if evaluation.stage == Stage.INTAKE else "2"


def first_upstream_rating(profile: Profile, evaluation: Evaluation, case_key: str) -> bool:
    """(projectNo, assessNumber) is unique upstream: only the first rating of a case per assess number
    (and only of the service, not of a person) can go up; the others stay local rather than be
    dropped upstream as "评价数据不可重复"."""
    from ..models import UpstreamMessage

    if evaluation.target != Target.MATTER or evaluation.record_id is None:
        return False
    return not UpstreamMessage.objects.filter(
        profile=profile.name,
        case_key=case_key,
        kind__in=(UpstreamMessage.Kind.EVALUATION, UpstreamMessage.Kind.TIMEOUT),
        payload__assessNumber=str(evaluation.assess_number),
    ).exists()


def json_answer(raw: bytes) -> dict[str, Any]:
    import json

    try:
        answer = json.loads(raw)
    except ValueError as exc:
        raise UpstreamError(_("省级平台应答不是有效的 JSON")) from exc
    if not isinstance(answer, dict):
        raise UpstreamError(_("省级平台应答格式不对"))
    return answer
