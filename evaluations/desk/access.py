"""Who may use the desk pages: rating entry by phone or on paper, and 综合点评."""

from ..models import Role

ENTRY_ROLES = {Role.HOTLINE, Role.WINDOW_STAFF, Role.HALL_MANAGER, Role.OFFICE, Role.SYSADMIN}
FEEDBACK_READERS = {Role.DEPARTMENT, Role.HALL_MANAGER, Role.OFFICE, Role.SYSADMIN, Role.AUDITOR}
FEEDBACK_ANSWERERS = {Role.DEPARTMENT, Role.OFFICE, Role.SYSADMIN}
