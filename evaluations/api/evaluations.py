"""Evaluations API: business systems post the ratings taken online (DESIGN §7)."""

from ninja import Router, Status

from ..models import SenderKind
from ..services.client_keys import Sender
from ..services.intake import evaluation_record
from .auth import KeyRequest
from .schemas import EvaluationIn, EvaluationOut, responses

router = Router(tags=["评价"])
RESPONSES, _DOCS = responses(
    {
        200: (EvaluationOut, "本密钥以同一 client_id 提交过相同内容：第一次的结果"),
        201: (EvaluationOut, "已记录"),
    },
    (400, 401, 404, 409, 415, 422),
)


@router.post(
    "/evaluations",
    response=RESPONSES,
    openapi_extra=_DOCS,
    summary="提交评价",
    description=(
        "新评价返回 201。client_id 属于提交它的密钥：同一密钥以同一 client_id 再次提交相同内容"
        "（字段顺序、空白、缺省字段与 null、标签顺序、时间的时区写法不影响）返回 200 和第一次的结果；"
        "内容不同返回 409 client_id_reused，不写入；其他密钥使用同一 client_id 是另一条新评价。"
        "该办件此对象此环节已评价返回 409；差评既无标签又无内容、评价期限已过等返回 422；"
        "办件不存在返回 404。"
    ),
)
def evaluation_post(request: KeyRequest, payload: EvaluationIn):
    # The service finds, reads and locks the case in one query, within the key's scope.
    result = evaluation_record(
        rating=payload.to_rating(),
        serial_no=payload.serial_no,
        scope=request.auth.region,
        sender=Sender.of(SenderKind.API_KEY, request.auth),  # a client_id is this key's own
    )
    body = {"id": result.evaluation.pk, "work_order": result.work_order}
    return Status(201 if result.created else 200, body)
