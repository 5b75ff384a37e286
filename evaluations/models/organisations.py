import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..validators import validate_uscc


def new_qr_token() -> str:
    return secrets.token_urlsafe(12)


class Department(models.Model):
    """A 政务服务机构: a bureau, a service centre, or a vertically managed office."""

    class Kind(models.TextChoices):
        BUREAU = "bureau", _("政府部门")
        CENTRE = "centre", _("政务服务中心（管理办）")
        VERTICAL = "vertical", _("垂直管理部门")
        PUBLIC = "public", _("公共服务单位")

    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc])
    region = models.ForeignKey(
        "evaluations.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="departments"
    )
    kind = models.CharField(_("机构类型"), max_length=16, choices=Kind.choices, default=Kind.BUREAU)
    active = models.BooleanField(_("启用"), default=True)

    scope_region_path = "region__path"
    scope_department = "pk"

    class Meta:
        verbose_name = _("政务服务机构")
        verbose_name_plural = _("政务服务机构")
        ordering = ["region__code", "name"]

    def __str__(self) -> str:
        return self.name


class Hall(models.Model):
    class Kind(models.TextChoices):
        CENTRE = "centre", _("政务服务中心")
        HALL = "hall", _("政务服务大厅")
        STATION = "station", _("便民服务中心（站）")
        POINT = "point", _("便民服务点")

    code = models.CharField(_("大厅编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.CENTRE)
    region = models.ForeignKey(
        "evaluations.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="halls"
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    scope_region_path = "region__path"
    scope_department = "windows__departments"

    class Meta:
        verbose_name = _("服务大厅")
        verbose_name_plural = _("服务大厅")
        ordering = ["region__code", "code"]

    def __str__(self) -> str:
        return self.name


class Window(models.Model):
    hall = models.ForeignKey(
        Hall, verbose_name=_("所属大厅"), on_delete=models.PROTECT, related_name="windows"
    )
    code = models.CharField(_("窗口编码"), max_length=32, unique=True)
    name = models.CharField(_("窗口名称"), max_length=100)
    departments = models.ManyToManyField(
        Department, verbose_name=_("进驻部门"), related_name="windows", blank=True
    )
    # A window rating that names neither a person nor a matter (nobody on duty, Tianjin art. 10(2)'s
    # static QR) is counted for this department when the window serves several.
    lead_department = models.ForeignKey(
        Department,
        verbose_name=_("牵头部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("窗口有多个进驻部门时，无法确定工作人员和事项的窗口评价计入此部门。"),
    )
    active = models.BooleanField(_("启用"), default=True)
    # The static QR code on the counter points at /r/w/<qr_token>/; rotating it retires printed codes.
    qr_token = models.CharField(
        _("二维码令牌"), max_length=32, unique=True, default=new_qr_token, editable=False
    )

    scope_region_path = "hall__region__path"
    scope_department = "departments"

    class Meta:
        verbose_name = _("服务窗口")
        verbose_name_plural = _("服务窗口")
        ordering = ["hall__code", "code"]

    def __str__(self) -> str:
        return f"{self.hall.name} · {self.name}"


class Staff(models.Model):
    """A person serving at windows; may have a login of their own."""

    name = models.CharField(_("姓名"), max_length=50)
    staff_no = models.CharField(_("工号"), max_length=32, unique=True)
    department = models.ForeignKey(
        Department, verbose_name=_("所属部门"), on_delete=models.PROTECT, related_name="staff"
    )
    window = models.ForeignKey(
        Window,
        verbose_name=_("当前窗口"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_profile",
    )
    active = models.BooleanField(_("在岗"), default=True)

    scope_region_path = "department__region__path"
    scope_department = "department"

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")
        ordering = ["department__name", "staff_no"]

    def __str__(self) -> str:
        return f"{self.name}（{self.staff_no}）"
