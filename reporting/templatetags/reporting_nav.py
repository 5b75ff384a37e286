"""The reporting sub-navigation, with only the pages the user's role may open."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from ..access import CIRCULAR_READERS, EXPORTERS, REPORT_READERS, REVISIT_CALLERS, has_role

register = template.Library()


@register.simple_tag(takes_context=True)
def reporting_links(context) -> list[tuple[str, str, str]]:
    """(key, url, label) of each reporting page open to the current user, then the public pages."""
    user = context["request"].user
    pages = [
        ("dashboard", "reporting:dashboard", _("统计分析"), REPORT_READERS),
        ("rankings", "reporting:rankings", _("排名"), REPORT_READERS),
        ("circulars", "reporting:circulars", _("月度通报"), CIRCULAR_READERS),
        ("revisits", "reporting:revisits", _("季度随机回访"), REVISIT_CALLERS),
        ("exports", "reporting:exports", _("数据导出"), EXPORTERS),
    ]
    links = [(key, reverse(name), label) for key, name, label, roles in pages if has_role(user, roles)]
    return [*links, ("public", reverse("public:index"), _("好差评专区（公开）"))]
