"""Who may use the reporting pages. Rows are always limited further by the user's data scope."""

from collections.abc import Set as AbstractSet

from evaluations.access import role_required
from evaluations.models import Role, User
from evaluations.roles import CIRCULAR_READERS, REPORT_READERS, REVISIT_CALLERS

CIRCULAR_ISSUERS = {Role.OFFICE, Role.SYSADMIN}  # generate and publish circulars
EXPORTERS = {Role.OFFICE, Role.AUDITOR, Role.SYSADMIN, Role.DEPARTMENT}

readers_only = role_required(REPORT_READERS)
circular_readers_only = role_required(CIRCULAR_READERS)
issuers_only = role_required(CIRCULAR_ISSUERS)
callers_only = role_required(REVISIT_CALLERS)
exporters_only = role_required(EXPORTERS)


def has_role(user: User, roles: AbstractSet[str]) -> bool:
    return user.is_authenticated and user.is_active and (user.role in roles or user.is_superuser)
