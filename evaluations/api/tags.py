"""Tags API: the evaluation tags a business system offers its raters and sends back by code
(DESIGN §7: ``tags[]`` of ``POST /api/v1/evaluations``; the Tianjin annex table, seeded in 0002)."""

from ninja import Field, Router, Schema

from ..models import Tag
from .auth import KeyRequest
from .schemas import TargetIn, responses

router = Router(tags=["评价标签"])


class TagOut(Schema):
    code: str = Field(description="标签编码，提交评价时放在 tags 中")
    grade: int = Field(description="适用的评价等级：1 非常不满意，2 不满意，3 基本满意，4 满意，5 非常满意")
    target: TargetIn = Field(description="适用的评价对象：matter 办理事项，staff 工作人员")
    text: str = Field(description="标签文字（评价内容）")
    active: bool = Field(description="是否启用；停用的标签不再受理，列出以便核对历史数据")


RESPONSES, _DOCS = responses({200: (list[TagOut], "全部评价标签")}, (401,))


@router.get(
    "/tags",
    response=RESPONSES,
    openapi_extra=_DOCS,
    summary="评价标签",
    description=(
        "列出全部评价标签：编码、评价等级、评价对象和文字，按评价对象、等级从高到低、附表顺序排列。"
        "提交评价时，标签须与评价等级和评价对象相符且已启用，否则返回 422 tag_mismatch / tag_unknown。"
    ),
)
def tags_list(request: KeyRequest):
    return list(Tag.objects.order_by("target", "-grade", "position", "code"))
