from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSADMIN = "sysadmin", _("系统管理员")
    OFFICE = "office", _("政务服务管理部门")
    DEPARTMENT = "department", _("部门承办人")
    HALL_MANAGER = "hall_manager", _("大厅负责人")
    WINDOW_STAFF = "window_staff", _("窗口工作人员")
    HOTLINE = "hotline", _("热线坐席")
    AUDITOR = "auditor", _("审计员（只读）")
    # An outside monitor (社会监督员, 51号 三(四) 明查暗访): files visit reports for the inspections
    # assigned to them, in their region scope, and sees nothing else.
    MONITOR = "monitor", _("社会监督员")


# Roles that work in the Django admin; the others use the application pages only.
ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.OFFICE, Role.DEPARTMENT, Role.HALL_MANAGER, Role.AUDITOR})


class User(AbstractUser):
    """A login with a role and a data scope: a region subtree and/or one department."""

    name = models.CharField(_("姓名"), max_length=50, blank=True)
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.WINDOW_STAFF)
    region = models.ForeignKey(
        "evaluations.Region",
        verbose_name=_("管辖区划"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("可见范围为该区划及其全部下级区划。"),
    )
    department = models.ForeignKey(
        "evaluations.Department",
        verbose_name=_("所属部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("设置后仅可见本部门的数据。"),
    )
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)

    scope_region_path = "region__path"
    scope_department = "department"

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.name or self.username

    def get_full_name(self) -> str:
        return self.name or self.username

    def get_short_name(self) -> str:
        return self.name or self.username

    def save(self, *args, **kwargs) -> None:
        # The role decides admin access; a system administrator has every permission.
        self.is_staff = self.role in ADMIN_ROLES or self.is_superuser
        if self.role == Role.SYSADMIN:
            self.is_superuser = True
        super().save(*args, **kwargs)

    @property
    def has_global_scope(self) -> bool:
        return self.is_superuser or self.role == Role.SYSADMIN

    def clean(self) -> None:
        super().clean()
        if (
            self.role != Role.SYSADMIN
            and not self.is_superuser
            and not (self.region_id or self.department_id)
        ):
            raise ValidationError({"region": _("请为该角色设置管辖区划或所属部门。")})
        if self.role == Role.OFFICE and not self.region_id:
            raise ValidationError({"region": _("政务服务管理部门须设置管辖区划。")})
        if self.role == Role.DEPARTMENT and not self.department_id:
            raise ValidationError({"department": _("部门承办人须设置所属部门。")})
