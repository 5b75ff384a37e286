"""Shandong (Epoint connector, LouisCherry/tempproject134 ``hcp/rest/controller/HcpController.java``):
JSON POST with header ``C-Tenancy-Id``; the record goes SM2-encrypted for the platform's public key in
``txnBodyCom.params``, and ``txnBodyCom.sign`` is our SM2 signature over time + appMark + appWord.

Fields: projectNo with the province prefix 37, 12-digit areaCode, taskCode the first 31 characters of
a 33-character 业务办理项 which goes whole into taskHandleItem, userProp 1 自然人 / 2 企业法人 (the list
goes to 6 and 9; our cases know person and legal person only), projectType 1 即办件 / 2 承诺件,
dataSource 165. Self-built matters (taskCode containing 00000000) are not pushed in Shandong.

Service records go to ``UPSTREAM_URL`` + ``/addEvaluateService`` (params ``service``), ratings to
``UPSTREAM_URL`` + ``/addEvaluate`` (params ``evaluate``), each a JSON list of one record. Success is
``C-Response-Desc`` = ``success`` (in the JSON answer, else the answer header); "评价数据不可重复" is
delivered; any other description refuses the record by name.
"""

import json

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations.models import Channel, Evaluation

from ..client import UpstreamError
from ..models import UpstreamMessage
from . import sm2
from .base import DUPLICATE_ANSWER, NATIONAL_PF, Payload, Request, area_code, json_answer
from .provincial import INSTANT_FIRST, PERSON_OR_LEGAL, Provincial

PROVINCE_PREFIX = "37"
SELF_BUILT = "00000000"
TIME_FORMAT = "%Y%m%d%H%M%S"


def sign_text(stamp: str, app_mark: str, app_word: str) -> bytes:
    return f"{stamp}{app_mark}{app_word}".encode()


class Shandong(Provincial):
    name = "shandong"
    label = gettext_lazy("山东（SM2 加密与签名）")
    pf = {**NATIONAL_PF, Channel.PHONE: "5", Channel.PAPER: "5"}
    data_source = "165"
    user_prop = PERSON_OR_LEGAL
    project_type_field = "projectType"
    project_type = INSTANT_FIRST

    def project_no(self, serial_no: str) -> str:
        return PROVINCE_PREFIX + serial_no

    def area(self, code: str) -> str:
        return area_code(code)

    def pushed(self, evaluation: Evaluation) -> bool:
        return evaluation.matter is not None and SELF_BUILT not in evaluation.matter.code

    def service(self, evaluation: Evaluation) -> tuple[str, Payload] | None:
        return super().service(evaluation) if self.pushed(evaluation) else None

    def requests(self, rows: list[UpstreamMessage]) -> list[Request]:
        keys = _keys()
        base = settings.UPSTREAM_URL.rstrip("/")
        requests = []
        for row in rows:
            service = row.kind == UpstreamMessage.Kind.SERVICE
            stamp = timezone.localtime().strftime(TIME_FORMAT)  # Beijing time, whatever the host's zone
            plain = json.dumps([row.payload], ensure_ascii=False, separators=(",", ":")).encode()
            body = {
                "txnBodyCom": {
                    "sign": sm2.sign(keys["private"], sign_text(stamp, keys["mark"], keys["word"])),
                    "params": {"service" if service else "evaluate": sm2.encrypt(keys["platform"], plain)},
                    "time": stamp,
                    "appMark": keys["mark"],
                },
                "txnCommCom": {},
            }
            requests.append(
                Request(
                    rows=[row],
                    url=f"{base}/addEvaluateService" if service else f"{base}/addEvaluate",
                    body=json.dumps(body, separators=(",", ":")).encode(),
                    headers={
                        "Content-Type": "application/json; charset=utf-8",
                        "C-Tenancy-Id": settings.UPSTREAM_TENANCY_ID,
                    },
                )
            )
        return requests

    def read(self, raw: bytes, request: Request) -> dict[str, str]:
        answer = json_answer(raw)
        desc = str(answer.get("C-Response-Desc") or "")
        if not desc:
            raise UpstreamError(_("省级平台应答缺少 C-Response-Desc"))
        if desc == "success" or DUPLICATE_ANSWER in desc:
            return {}
        return {row.idempotency_key: desc[:300] for row in request.rows}


def _keys() -> dict[str, str]:
    keys = {
        "private": settings.UPSTREAM_SM2_PRIVATE_KEY,
        "platform": settings.UPSTREAM_SM2_PLATFORM_KEY,
        "mark": settings.UPSTREAM_APP_MARK,
        "word": settings.UPSTREAM_APP_WORD,
    }
    if not all(keys.values()):
        raise ImproperlyConfigured(
            "the shandong profile needs UPSTREAM_SM2_PRIVATE_KEY, UPSTREAM_SM2_PLATFORM_KEY, "
            "UPSTREAM_APP_MARK and UPSTREAM_APP_WORD"
        )
    return keys
