"""Who may open the supervision pages, and the one way each object is fetched (CONVENTIONS §4): through
the scoped selectors, 404 when absent or not the user's (a 社会监督员 asking for someone else's plan)."""

from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

from evaluations.access import role_required
from evaluations.roles import SUPERVISION_PLANNERS, SUPERVISION_READERS

M = TypeVar("M", bound=Model)

readers_only = role_required(SUPERVISION_READERS)
planners_only = role_required(SUPERVISION_PLANNERS)


def get_in_scope(queryset: QuerySet[M], pk: int) -> M:
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404("not found in scope")
    return found


def may_plan(user) -> bool:
    return user.is_superuser or user.role in SUPERVISION_PLANNERS
