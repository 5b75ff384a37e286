"""Zhejiang (Ningbo connector, yupomang/YFMAPLAST ``WebHttpContorller.java`` ``offlinereport``): plain
form POSTs of the national fields, dataSource 133, no taskHandleItem, userProp 1 person / 2 legal
person, ``promiseTime`` 1 承诺件 / 2 即办件, 6-digit areaCode padded to 12.

Service records go to ``UPSTREAM_URL`` + ``/service``, ratings to ``UPSTREAM_URL`` + ``/evaluate``
(the endpoint names agreed with the province). Answer: JSON ``{"success": true}``, or
``{"success": false, "msg": …}`` — "评价数据不可重复" in msg means the first copy is stored (delivered);
any other msg refuses the record by name; a non-2xx status or a body that is not such JSON is transient.
"""

import urllib.parse

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations.models import Channel

from ..client import UpstreamError
from ..models import UpstreamMessage
from .base import DUPLICATE_ANSWER, NATIONAL_PF, Request, area_code, json_answer
from .provincial import PERSON_OR_LEGAL, PROMISE_FIRST, Provincial


class Zhejiang(Provincial):
    name = "zhejiang"
    label = gettext_lazy("浙江（表单字段）")
    pf = {**NATIONAL_PF, Channel.PHONE: "5", Channel.PAPER: "5"}
    data_source = "133"
    user_prop = PERSON_OR_LEGAL
    project_type_field = "promiseTime"
    project_type = PROMISE_FIRST
    sends_handle_item = False

    def area(self, code: str) -> str:
        return area_code(code)

    def requests(self, rows: list[UpstreamMessage]) -> list[Request]:
        base = settings.UPSTREAM_URL.rstrip("/")
        return [
            Request(
                rows=[row],
                url=f"{base}/service" if row.kind == UpstreamMessage.Kind.SERVICE else f"{base}/evaluate",
                body=urllib.parse.urlencode(row.payload).encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
            )
            for row in rows
        ]

    def read(self, raw: bytes, request: Request) -> dict[str, str]:
        answer = json_answer(raw)
        if "success" not in answer:
            raise UpstreamError(_("省级平台应答缺少 success"))
        message = str(answer.get("msg") or "")
        if answer["success"] is True or DUPLICATE_ANSWER in message:
            return {}
        return {row.idempotency_key: message[:300] or _("未说明原因") for row in request.rows}
