"""Excel / CSV import and export of master data (django-import-export).

Column headers are fixed Chinese names: they are a file format that offices fill in, so they do
not follow the interface language. Every row is validated (model ``full_clean`` plus the widgets'
checks); with IMPORT_EXPORT_USE_TRANSACTIONS a file with any bad row imports nothing.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from import_export import fields, resources

from .import_widgets import (
    ChoiceWidget,
    CodeWidget,
    ScopedCodeForeignKeyWidget,
    ScopedCodeManyToManyWidget,
    YesNoWidget,
)
from .models import Department, Hall, Region, ServiceMatter, Staff, Window
from .scope import visible_to


def _field(attribute: str, column: str, widget: Any = None) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column, widget=widget or CodeWidget())


class ScopedResource(resources.ModelResource):
    """Looks rows and references up within the importing user's data scope."""

    user = None

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        self.user = kwargs.get("user")
        for field in self.fields.values():
            if isinstance(field.widget, ScopedCodeForeignKeyWidget | ScopedCodeManyToManyWidget):
                field.widget.user = self.user

    def import_data(self, dataset: Any, *args: Any, **kwargs: Any) -> Any:
        # django-import-export rolls back on errors but keeps the good rows of a file that has
        # validation errors; a master-data file goes in whole or not at all.
        with transaction.atomic():
            result = super().import_data(dataset, *args, **kwargs)
            if result.has_errors() or result.has_validation_errors():
                transaction.set_rollback(True)
        return result

    def get_queryset(self):
        queryset = super().get_queryset()
        return visible_to(self.user, queryset) if self.user is not None else queryset

    def import_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
        errors: dict[str, list[ValidationError]] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors.update(exc.error_dict)
        # Many-to-many columns are saved after the row; check them now so they are row errors too.
        for field in self.get_import_fields():
            if isinstance(field.widget, ScopedCodeManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row, **kwargs)
                except ValueError as exc:
                    errors[field.attribute] = [ValidationError(str(exc), code="invalid")]
        if errors:
            raise ValidationError(errors)

    class Meta:
        abstract = True
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        import_id_fields = ("code",)


class RegionResource(ScopedResource):
    code = _field("code", "区划代码")
    name = _field("name", "名称", fields.widgets.CharWidget())
    level = _field("level", "层级", ChoiceWidget(Region.Level.choices))
    parent = _field("parent", "上级区划代码", ScopedCodeForeignKeyWidget(Region, "上级区划"))

    def import_instance(self, instance: Region, row: Any, **kwargs: Any) -> None:
        super().import_instance(instance, row, **kwargs)
        if self.user is not None and not self.user.has_global_scope and instance.parent_id is None:
            raise ValidationError({"parent": _("只有系统管理员可以导入省级区划。")})

    class Meta(ScopedResource.Meta):
        model = Region
        fields = ("code", "name", "level", "parent")


class DepartmentResource(ScopedResource):
    code = _field("code", "统一社会信用代码")
    name = _field("name", "名称", fields.widgets.CharWidget())
    region = _field("region", "所属区划代码", ScopedCodeForeignKeyWidget(Region, "区划"))
    kind = _field("kind", "机构类型", ChoiceWidget(Department.Kind.choices))
    active = _field("active", "启用", YesNoWidget(default=True))

    class Meta(ScopedResource.Meta):
        model = Department
        fields = ("code", "name", "region", "kind", "active")


class HallResource(ScopedResource):
    code = _field("code", "大厅编码")
    name = _field("name", "名称", fields.widgets.CharWidget())
    kind = _field("kind", "类型", ChoiceWidget(Hall.Kind.choices))
    region = _field("region", "所属区划代码", ScopedCodeForeignKeyWidget(Region, "区划"))
    address = _field("address", "地址", fields.widgets.CharWidget())
    active = _field("active", "启用", YesNoWidget(default=True))

    class Meta(ScopedResource.Meta):
        model = Hall
        fields = ("code", "name", "kind", "region", "address", "active")


class WindowResource(ScopedResource):
    code = _field("code", "窗口编码")
    name = _field("name", "窗口名称", fields.widgets.CharWidget())
    hall = _field("hall", "大厅编码", ScopedCodeForeignKeyWidget(Hall, "服务大厅"))
    departments = _field("departments", "进驻部门代码", ScopedCodeManyToManyWidget(Department, "部门"))
    active = _field("active", "启用", YesNoWidget(default=True))

    class Meta(ScopedResource.Meta):
        model = Window
        fields = ("code", "name", "hall", "departments", "active")


class StaffResource(ScopedResource):
    staff_no = _field("staff_no", "工号")
    name = _field("name", "姓名", fields.widgets.CharWidget())
    department = _field("department", "部门代码", ScopedCodeForeignKeyWidget(Department, "部门"))
    window = _field("window", "窗口编码", ScopedCodeForeignKeyWidget(Window, "窗口"))
    active = _field("active", "在岗", YesNoWidget(default=True))

    class Meta(ScopedResource.Meta):
        model = Staff
        fields = ("staff_no", "name", "department", "window", "active")
        import_id_fields = ("staff_no",)


class ServiceMatterResource(ScopedResource):
    code = _field("code", "事项编码")
    name = _field("name", "事项名称", fields.widgets.CharWidget())
    department = _field("department", "实施部门代码", ScopedCodeForeignKeyWidget(Department, "部门"))
    kind = _field("kind", "办件类型", ChoiceWidget(ServiceMatter.Kind.choices))
    consultation_only = _field("consultation_only", "仅咨询", YesNoWidget(default=False))
    active = _field("active", "启用", YesNoWidget(default=True))

    class Meta(ScopedResource.Meta):
        model = ServiceMatter
        fields = ("code", "name", "department", "kind", "consultation_only", "active")
