"""The one place that applies a user's data scope to a queryset (DESIGN §9).

A model opts in by naming two lookups on the class:
- ``scope_region_path``: the lookup of the region ``path`` its rows belong to (or None);
- ``scope_department``: the lookup of the department its rows belong to (or None).
A user sees rows inside their region subtree and, when they have a department, of that
department. A user with a department but no region is held to the department's region.
A user with neither sees nothing; only system administrators see everything.
"""

from typing import TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, Q, QuerySet

from .models import User

M = TypeVar("M", bound=Model)


def region_path_of(user: User) -> str | None:
    """The path of the region subtree ``user`` is held to (None: no region at all)."""
    if user.region is not None:
        return user.region.path
    if user.department is not None:
        return user.department.region.path
    return None


def scope_q(model: type[Model], user: User) -> Q | None:
    """The condition for ``model`` rows that ``user`` may see, or None for "nothing"."""
    path = region_path_of(user)
    if path is None:
        return None
    region_lookup = getattr(model, "scope_region_path", None)
    department_lookup = getattr(model, "scope_department", None)
    if region_lookup is None and department_lookup is None:
        return Q()  # reference data without an owner, e.g. evaluation tags
    condition = Q()
    if region_lookup is not None:
        condition &= Q(**{f"{region_lookup}__startswith": path})
    if user.department_id and department_lookup is not None:
        condition &= Q(**{department_lookup: user.department_id})
    return condition


def visible_to(user: User | AnonymousUser, queryset: QuerySet[M]) -> QuerySet[M]:
    """``queryset`` narrowed to what ``user`` may see (nothing for a visitor who is not logged in)."""
    if not isinstance(user, User) or not user.is_active:
        return queryset.none()
    if user.has_global_scope:
        return queryset
    condition = scope_q(queryset.model, user)
    if condition is None:
        return queryset.none()
    if not condition:
        return queryset
    # A subquery keeps many-to-many lookups (window departments) from duplicating rows.
    inner = queryset.model._default_manager.filter(condition).values("pk")
    return queryset.filter(pk__in=inner)
