"""Why the intake service refuses a rating: one code, one Chinese message, one HTTP status each."""

from django.utils.translation import gettext_lazy as _

COMMENT_LIMIT = 500

MESSAGES = {
    "grade_invalid": (422, _("评价等级应为 1（非常不满意）至 5（非常满意）。")),
    "target_invalid": (422, _("评价对象应为服务事项或服务人员。")),
    "stage_invalid": (422, _("评价环节应为受理时或办结时。")),
    "channel_invalid": (422, _("评价渠道无效。")),
    "assess_number_invalid": (422, _("评价次数只能是 1（首评）或 2（追评）。")),
    "reason_required": (422, _("选择“不满意”或“非常不满意”时，请至少选择一个标签或填写评价内容。")),
    "reason_required_each": (
        422,
        _(
            "本次评价同时适用于工作人员和办理事项：选择“不满意”或“非常不满意”时，"
            "请分别选择对工作人员和对办理事项的具体差评内容。"
        ),
    ),
    "tag_unknown": (422, _("评价标签“%(tag)s”不存在。")),
    "tag_mismatch": (422, _("评价标签“%(tag)s”不适用于所选的评价等级或评价对象。")),
    "comment_too_long": (422, _("评价内容不能超过 %(limit)d 字。")),
    "rated_at_invalid": (422, _("评价时间无效：不能晚于现在，也不能早于办件受理。")),
    "record_not_found": (404, _("找不到该办件。")),
    "not_completed": (422, _("办件尚未办结，办结后才能评价办理结果。")),
    "window_closed": (422, _("该办件的评价期限已过（办结后 %(days)d 个工作日内可以评价）。")),
    # A signed device's offline upload (issue 12, point 7).
    "upload_too_late": (
        422,
        _("该评价作出于 %(rated)s，评价设备离线保存的评价应在 %(days)d 个工作日内补传，现已超期，不再受理。"),
    ),
    "rated_at_out_of_range": (422, _("评价时间无效：不可能早于 %(earliest)d 年，请检查设备或系统的时钟。")),
    "already_rated": (409, _("该办件已经评价过了，感谢您的参与。")),
    # The same sender's client_id again with another rating (issue 14, point 1).
    "client_id_reused": (
        409,
        _("该客户端编号（client_id）已用于一条内容不同的评价；新的评价请使用新的编号。"),
    ),
    "stage_not_allowed": (422, _("该办件不能在这个环节评价这一对象。")),
    "consultation_not_rated": (422, _("查询咨询类业务在网上办结的，不进行评价。")),
    "consultation_staff_only": (422, _("查询咨询类业务在政务大厅办结的，只对窗口人员服务进行评价。")),
    "follow_up_without_first": (422, _("该办件还没有首次评价，不能追评。")),
    "follow_up_exists": (409, _("该办件已经追评过了，每件只能追评一次。")),
    "staff_required": (422, _("请指明被评价的工作人员。")),
    "window_required": (422, _("没有办件时，请指明被评价的窗口。")),
    "rate_limited": (429, _("提交过于频繁，请稍后再试。")),
    # Who is on duty (evaluations.services.duty) and who may enter a rating (issue 12, points 1-2).
    "staff_unknown": (404, _("找不到工号为“%(staff_no)s”的工作人员。")),
    "staff_inactive": (422, _("该工作人员已停用，不能签到。")),
    "staff_not_at_window": (422, _("该工作人员不属于本窗口的进驻部门，不能在本窗口签到。")),
    "window_inactive": (422, _("该窗口已停用，不能签到。")),
    "not_on_duty": (409, _("该工作人员目前没有在本窗口签到。")),
    "staff_ambiguous": (
        422,
        _("评价时该窗口有多名工作人员在岗（%(names)s），请选择被评价的工作人员，或选择只评价窗口。"),
    ),
    "staff_elsewhere": (422, _("该工作人员当天不在这个窗口工作，评价不能计入其名下。")),
    "window_unattributed": (422, _("该窗口没有进驻部门，评价无法计入，请联系大厅管理人员。")),
    "self_rating": (
        403,
        _("不能录入对本人或本人当天所在窗口的评价：评价应由办事企业和群众自愿、真实地作出。"),
    ),
}


class Refusal(Exception):
    """A rating the rules do not accept; nothing has been written."""

    def __init__(self, code: str, *, field: str = "", **params: object) -> None:
        self.code = code
        self.field = field
        self.params = params
        self.status, template = MESSAGES[code]
        self.message = str(template) % params if params else str(template)
        super().__init__(f"{code}: {self.message}")

    def as_error(self) -> dict:
        return {"field": self.field, "code": self.code, "message": self.message}


class InputErrors(Exception):
    """Several field errors at once (a case pushed by a business system); nothing has been written."""

    def __init__(self, errors: list[dict]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))


def input_error(field: str, code: str, message: str) -> dict:
    return {"field": field, "code": code, "message": str(message)}
