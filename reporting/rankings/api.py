"""Rankings API for business systems and big screens (DESIGN §7): ``GET /api/v1/rankings``.

The router is added to the records API's NinjaAPI (evaluations/api/app.py: same key, same error
shape, same OpenAPI schema) when this module is imported, from ``ReportingConfig.ready()``, before
Django builds the URLconf; evaluations itself never imports reporting.

A key limited to a region (``ApiKey.region``) reads that region's subtree with that region's
policy; an unlimited key reads everything with the policy of the one top-level region (a provincial
deployment), or the national preset when there are several.
"""

from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import StringConstraints

from config.db_router import replica_reads
from evaluations.api.app import api
from evaluations.api.auth import KeyRequest
from evaluations.api.errors import ApiError
from evaluations.api.schemas import responses
from evaluations.api.text_types import IDENTIFIER
from evaluations.models import Preset

from ..periods import Period, PeriodError
from ..scoring import Scale, rectification_term, revisit_term, rounded
from . import Row, Scope, build_ranking, policy_for_scope

LevelIn = Literal["region", "department", "hall", "window", "staff", "matter"]
# A NUL or control character in the period is refused at the edge like in every API string.
PeriodIn = Annotated[str, StringConstraints(strip_whitespace=True, max_length=16), IDENTIFIER]


class WeightsOut(Schema):
    quality: int = Field(description="服务质量（平均得分折算为百分制）的权重，%")
    active: int = Field(description="主动评价率的权重，%")
    rectification: int = Field(description="差评整改率的权重，%")
    revisit: int = Field(description="整改回访满意率的权重，%")


class PolicyOut(Schema):
    preset: str = Field(description="规则依据：national、tianjin、ganzhou 或 qingdao")
    name: str = Field(description="规则依据的中文名称")
    region: str | None = Field(description="规则所属区划代码；全国默认规则为 null")
    points: dict[str, int] = Field(description="各评价等级的得分，键为等级 1（非常不满意）…5（非常满意）")
    weights: WeightsOut
    min_sample: int = Field(description="参与排名的最少评价数")
    low_rank_bottom: int = Field(description="“连续靠后”的末尾名次数 N")
    low_rank_periods: int = Field(description="“连续靠后”的连续期数 K")


class RankingRowOut(Schema):
    code: str = Field(description="编码：区划代码、统一社会信用代码、大厅/窗口/事项编码或工号")
    name: str
    rank: int | None = Field(description="名次，并列同名次（1、1、3）；样本不足不参与排名时为 null")
    sample: int = Field(description="样本数：有效评价数")
    quality: float | None = Field(description="服务质量：平均得分（按规则的等级得分），两位小数")
    active_rate: float | None = Field(description="主动评价率，0..1")
    rectification_rate: float | None = Field(
        description="差评整改率，0..1；无差评时为 1（综合评分按已完成计）"
    )
    revisit_satisfaction: float | None = Field(
        description="整改回访满意率，0..1；无差评时为 1；有差评但无一整改时为 0（与综合评分所用一致）"
    )
    composite: float | None = Field(description="综合评分，0..100，两位小数")
    good_rate: float | None = Field(description="好评率，0..1")
    bad_rate: float | None = Field(description="差评率，0..1")
    unevaluated_rate: float | None = Field(description="未评率，0..1")
    on_time_rate: float | None = Field(description="按期整改率，0..1；无差评时为 null")
    realname_revisit_rate: float | None = Field(description="实名差评回访率，0..1；无实名差评时为 null")
    previous_rank: int | None = Field(description="上一统计周期的名次；上期未参与排名时为 null")
    low: bool = Field(description="连续靠后：连续 K 期处于末尾 N 名（K、N 见 policy）")
    held: int = Field(
        0,
        description="暂缓计入的评价数：被标记待核查、尚未核查且仍在暂缓期内（最多 N 个工作日）的评价，"
        "不计入 sample 和各项指标；期满未核查自动计入",
    )
    ruled: int = Field(0, description="经核查认定为刷评或恶意评价的评价数，不计入任何指标")


class RankingOut(Schema):
    period: str = Field(description="统计周期，如 2026-10、2026-Q4、2026")
    level: str
    policy: PolicyOut
    rows: list[RankingRowOut] = Field(
        description="先按名次列出参与排名的对象，再列样本不足的对象（rank 为 null）"
    )


router = Router(tags=["排名"])
RESPONSES, _DOCS = responses({200: (RankingOut, "排名")}, (401, 403, 422))
_DOCS["responses"][403] = {"description": "该接口密钥未开通排名接口（可读取排名）"}


def _policy(scope: Scope) -> tuple[Scale, dict]:
    policy = policy_for_scope(scope)
    scale = Scale.from_policy(policy)
    described = {
        "preset": str(policy.preset),
        "name": str(Preset(policy.preset).label),
        "region": policy.region.code if policy.region_id else None,
        "points": {str(grade): scale.points[grade] for grade in range(1, 6)},
        "weights": scale.weights,
        "min_sample": scale.min_sample,
        "low_rank_bottom": scale.low_rank_bottom,
        "low_rank_periods": scale.low_rank_periods,
    }
    return scale, described


def _row(row: Row) -> dict:
    f = row.figures
    return {
        "code": row.code,
        "name": row.name,
        "rank": row.rank,
        "sample": row.sample,
        "quality": rounded(f.quality.value, 2),
        "active_rate": rounded(f.active_rate.value, 4),
        # The values the composite used (reporting.scoring: rectification_term, revisit_term).
        "rectification_rate": rounded(rectification_term(f.totals), 4),
        "revisit_satisfaction": rounded(revisit_term(f.totals), 4),
        "composite": f.composite,
        "good_rate": rounded(f.good_rate.value, 4),
        "bad_rate": rounded(f.bad_rate.value, 4),
        "unevaluated_rate": rounded(f.unevaluated_rate.value, 4),
        "on_time_rate": rounded(f.on_time_rate.value, 4),
        "realname_revisit_rate": rounded(f.realname_revisit_rate.value, 4),
        "previous_rank": row.previous_rank,
        "low": row.low,
        "held": f.totals.held,
        "ruled": f.totals.ruled,
    }


@router.get(
    "/rankings",
    response=RESPONSES,
    openapi_extra=_DOCS,
    summary="排名",
    description=(
        "某一统计周期内某一层级（区划、部门、大厅、窗口、工作人员、事项）的排名及各项指标（DESIGN §5）。"
        "比率为 0..1 的小数（四位小数），服务质量为平均得分；分母为 0 的比率为 null，"
        "但差评整改率、整改回访满意率在无差评/无已整改工单时按综合评分所用的 1 给出。"
        "policy 为所用规则：依据（preset、name）、各等级得分（points）、综合评分权重（weights，%）"
        "和参与排名的最少评价数（min_sample）；综合评分 = Σ 权重 × 指标（服务质量按最高得分折算）。"
        "密钥须开通“可读取排名”（manage.py apikey create NAME --rankings，或后台勾选），否则返回 403。"
        "限定区划的密钥只能看到该区划及下级的数据，并按该区划的规则计分；不限区划的密钥按唯一顶级区划（如全省）的规则，有多个顶级区划时按全国规则。"
        "period 缺省为上一个完整月份；level 缺省为 department；region_level（1 省 … 5 村/社区）仅用于 "
        "level=region，缺省为密钥区划的下一级。参数无效返回 422。"
    ),
)
def rankings_get(
    request: KeyRequest,
    period: PeriodIn | None = None,
    level: LevelIn = "department",
    region_level: int | None = Query(None, ge=1, le=5),
):
    key = request.auth
    if not key.reads_rankings:
        message = _("该接口密钥未开通排名接口，请联系系统管理员在“接口密钥”中勾选“可读取排名”。")
        raise ApiError(403, "rankings_not_allowed", message)
    try:
        parsed = Period.parse(period) if period else Period.last_complete_month()
    except PeriodError as error:
        raise ApiError(422, "invalid_period", str(error), field="period") from error
    if region_level is not None and level != "region":
        message = _("region_level 仅用于 level=region。")
        raise ApiError(422, "invalid_combination", message, field="region_level")
    scope = Scope.for_region(key.region if key.region_id else None)
    with replica_reads():  # read-only from here on (config/db_router.py)
        scale, policy = _policy(scope)
        ranking = build_ranking(level, parsed, scope, scale, region_level=region_level)
    return {
        "period": str(parsed),
        "level": level,
        "policy": policy,
        "rows": [_row(row) for row in [*ranking.rows, *ranking.unranked]],
    }


api.add_router("v1/", router)
