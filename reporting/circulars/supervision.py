"""The circular's 监督查评情况 section (51号 三(四): inspections, visits, questionnaires, forums).

Read from ``supervision.selectors`` (plans, visits, findings, forums, the 监督查评 work orders) and the
questionnaires answered in the month, once, when the draft is made; stored in
``Circular.data["supervision"]`` and frozen with the rest. Shape::

    {
        "lines": [{"label": "督查计划", "value": 3}, {"label": "发现问题", "value": 12}, ...],
        "findings": [{"subject": str, "unit": str, "category": str, "severity": str,
                      "order": str | None}],   # the work order a finding opened, if any
        "findings_total": int,                 # the list is cut at FINDINGS_LISTED
    }
"""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from evaluations.models import Region
from questionnaires.models import Questionnaire
from supervision.selectors import period_findings, period_results

from ..periods import Period, local_day_bounds

FINDINGS_LISTED = 50


def _questionnaires(region: Region, period: Period) -> dict[str, int]:
    start, end = local_day_bounds(period.first, period.last)
    return Questionnaire.objects.filter(region__path__startswith=region.path).aggregate(
        answered=Count(
            "pk",
            distinct=True,
            filter=Q(submissions__submitted_at__gte=start, submissions__submitted_at__lt=end),
        ),
        answers=Count(
            "submissions",
            filter=Q(submissions__submitted_at__gte=start, submissions__submitted_at__lt=end),
        ),
    )


def supervision_results(region: Region, period: Period) -> dict:
    """监督查评 results of ``region``'s subtree in ``period``."""
    results = period_results(region, period.first, period.last)
    surveys = _questionnaires(region, period)
    lines = [
        (_("督查计划"), results.plans),
        (_("走访（明查暗访）"), results.visits),
        (_("发现问题"), results.findings),
        *((_("其中：%(label)s") % {"label": line.label}, line.count) for line in results.by_severity),
        (_("座谈会"), results.forums),
        (_("座谈会反映问题"), results.forum_issues),
        (_("问卷调查（收到答卷的问卷）"), surveys["answered"]),
        (_("收到答卷"), surveys["answers"]),
        (_("转为整改工单"), results.orders_opened),
        (_("监督查评工单办结"), results.orders_closed),
    ]
    findings = period_findings(region, period.first, period.last)
    listed = [
        {
            "subject": finding.visit.inspection.subject,
            "unit": finding.department.name,
            "category": str(finding.get_category_display()),
            "severity": str(finding.get_severity_display()),
            "order": finding.work_order.number if finding.work_order is not None else None,
        }
        for finding in findings[:FINDINGS_LISTED]
    ]
    return {
        "lines": [{"label": str(label), "value": value} for label, value in lines],
        "findings": listed,
        "findings_total": findings.count(),
    }
