from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Digits of a 12-digit statistical division code that are meaningful at each level:
# province 2, city 4, county 6, township 9, village 12; the rest are zeros.
LEVEL_PREFIX = {1: 2, 2: 4, 3: 6, 4: 9, 5: 12}
PATH_SEPARATOR = "/"


class Region(models.Model):
    class Level(models.IntegerChoices):
        PROVINCE = 1, _("省级")
        CITY = 2, _("市级")
        COUNTY = 3, _("县级")
        TOWNSHIP = 4, _("乡镇（街道）级")
        VILLAGE = 5, _("村（社区）级")

    code = models.CharField(
        _("区划代码"),
        max_length=12,
        unique=True,
        validators=[RegexValidator(r"^\d{12}$", _("区划代码应为 12 位数字。"))],
    )
    name = models.CharField(_("名称"), max_length=100)
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    # "/<province>/<city>/.../<self>/": a subtree is every row whose path starts with the root's path.
    path = models.CharField(_("区划路径"), max_length=70, editable=False, db_index=True)

    scope_region_path = "path"
    scope_department = None

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["path"], name="region_path_prefix", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        old_path = self.path
        prefix = self.parent.path if self.parent is not None else PATH_SEPARATOR
        self.path = f"{prefix}{self.code}{PATH_SEPARATOR}"
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            # Moved or re-coded: rewrite the paths of the whole subtree in one statement.
            Region.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                path=Concat(Value(self.path), Substr("path", len(old_path) + 1))
            )

    def clean(self) -> None:
        errors: dict[str, str | Promise] = {}
        if self.level and self.code and len(self.code) == 12 and self.code.isdigit():
            keep = LEVEL_PREFIX[self.level]
            if self.code[keep:] != "0" * (12 - keep):
                errors["code"] = _("%(level)s区划代码第 %(start)d 位起应为 0。") % {
                    "level": self.get_level_display(),
                    "start": keep + 1,
                }
        if self.level == self.Level.PROVINCE:
            if self.parent_id:
                errors["parent"] = _("省级区划没有上级区划。")
        elif self.level:
            parent = self.parent
            if parent is None:
                errors["parent"] = _("请选择上级区划。")
            elif parent.level != self.level - 1:
                errors["parent"] = _("上级区划应为%(level)s。") % {"level": self.Level(self.level - 1).label}
            elif self.code and not self.code.startswith(parent.code[: LEVEL_PREFIX[parent.level]]):
                errors["code"] = _("区划代码应以上级区划代码 %(prefix)s 开头。") % {
                    "prefix": parent.code[: LEVEL_PREFIX[parent.level]]
                }
            elif self.pk and parent.path.startswith(self.path or "\0"):
                errors["parent"] = _("不能把区划移到它自己的下级之下。")
        if errors:
            raise ValidationError(errors)

    def subtree(self) -> models.QuerySet["Region"]:
        return Region.objects.filter(path__startswith=self.path)

    def ancestor_codes(self) -> list[str]:
        return [code for code in self.path.split(PATH_SEPARATOR) if code]
