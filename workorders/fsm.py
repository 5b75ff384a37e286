"""The one place that reads django-fsm's internals (the ``_django_fsm`` descriptor metadata), so an
upgrade of django-fsm-2 touches this module only.

django_fsm.has_transition_perm would also evaluate the transition's conditions, which read the very
fields an action's form is about to fill (a rectification text, a revisit result); pages and services
ask for the permission and the conditions apart.
"""

from django_fsm import can_proceed

from evaluations.models import User

from .models import WorkOrder
from .rules import Condition


def _meta(order: WorkOrder, action: str):
    return getattr(order, action)._django_fsm


def has_permission(order: WorkOrder, action: str, user: User) -> bool:
    """The permission declared on the transition (role + scope), whatever the order's state."""
    return any(t.has_perm(order, user) for t in _meta(order, action).transitions.values())


def may_take(order: WorkOrder, action: str, user: User) -> bool:
    """From the order's present state, and with the transition's permission (conditions aside)."""
    meta = _meta(order, action)
    return meta.has_transition(order.state) and meta.has_transition_perm(order, order.state, user)


def from_state(order: WorkOrder, action: str, *, check_conditions: bool = False) -> bool:
    """Whether the order's present state allows the transition (and, if asked, its conditions)."""
    return can_proceed(getattr(order, action), check_conditions=check_conditions)


def conditions(order: WorkOrder, action: str) -> list[Condition]:
    """The transition's conditions, each with a Chinese ``message`` (workorders.rules.condition)."""
    found: list[Condition] = []
    for source_transitions in _meta(order, action).transitions.values():
        for check in source_transitions.conditions:
            if check not in found:
                found.append(check)
    return found
