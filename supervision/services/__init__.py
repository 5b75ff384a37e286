"""The write paths of 监督查评 (CONVENTIONS §1-2): each a function in one transaction."""

from django.utils.translation import gettext as _


class SupervisionError(Exception):
    """A refused write; ``message`` in Chinese, ``field`` the form field it concerns (or None)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        self.message = str(message)
        self.field = field
        super().__init__(self.message)


def planners_only(user) -> None:
    from evaluations.roles import SUPERVISION_PLANNERS

    if not (user.is_superuser or user.role in SUPERVISION_PLANNERS):
        raise SupervisionError(_("只有政务服务管理部门可以办理此项。"))
