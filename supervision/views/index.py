"""The 监督查评 home: plans (a 社会监督员's own assignments), forums and assessments in scope."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from evaluations.http import AuthedRequest

from ..access import may_plan, readers_only
from ..selectors import assessments_for, forums_for, inspections_for

RECENT = 50


def _questionnaires_url() -> str:
    try:
        return reverse("questionnaires:index")
    except NoReverseMatch:  # the questionnaires app (another part of 监督查评) mounts its pages here
        return "/supervision/questionnaires/"


@readers_only
def index(request: AuthedRequest) -> HttpResponse:
    user = request.user
    context = {
        "plans": inspections_for(user).prefetch_related("inspectors")[:RECENT],
        "forums": forums_for(user)[:RECENT],
        "assessments": assessments_for(user)[:RECENT],
        "may_plan": may_plan(user),
        "questionnaires_url": _questionnaires_url() if may_plan(user) or user.role == "auditor" else None,
    }
    return render(request, "supervision/index.html", context)
