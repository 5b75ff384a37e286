"""The circular's 监督查评情况 section (51号 三(四): inspections, visits, questionnaires, forums).

The supervision app provides ``supervision.selectors.period_results(region, start, end)``; until the
integrator wires it here, the draft stores ``None`` and the page says the results are not connected yet.

Shape the section expects (JSON, stored in ``Circular.data["supervision"]`` and frozen with the rest)::

    {
        "lines": [{"label": "专项督查", "value": 3}, {"label": "发现问题", "value": 12}, ...],
        "findings": [{"subject": str, "unit": str, "category": str, "severity": str,
                      "order": str | None}],   # the work order a finding opened, if any
    }

Both lists may be empty; the template renders ``lines`` as a table and ``findings`` as a list.
"""

from evaluations.models import Region

from ..periods import Period


def supervision_results(region: Region, period: Period) -> dict | None:
    """监督查评 results of ``region``'s subtree in ``period``; None while the supervision app is not wired."""
    return None
