from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from import_export.admin import ImportExportMixin

from ..models import Department, Hall, Region, ServiceMatter, Staff, Tag, Window
from ..resources import (
    DepartmentResource,
    HallResource,
    RegionResource,
    ServiceMatterResource,
    StaffResource,
    WindowResource,
)
from .base import ScopedModelAdmin


class ImportableAdmin(ImportExportMixin, ScopedModelAdmin):
    import_template_name = "admin/evaluations/import.html"

    def import_action(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        response = super().import_action(request, **kwargs)
        if isinstance(response, TemplateResponse) and response.context_data is not None:
            resource = self.get_import_resource_classes(request)[0]()
            response.context_data["column_names"] = {
                field.attribute: field.column_name for field in resource.get_import_fields()
            }
        return response


@admin.register(Region)
class RegionAdmin(ImportableAdmin):
    resource_classes = [RegionResource]
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)
    readonly_fields = ("path",)


@admin.register(Department)
class DepartmentAdmin(ImportableAdmin):
    resource_classes = [DepartmentResource]
    list_display = ("name", "code", "region", "kind", "active")
    list_filter = ("kind", "active")
    search_fields = ("name", "code")
    autocomplete_fields = ("region",)
    list_select_related = ("region",)


class WindowInline(admin.TabularInline):
    model = Window
    fields = ("code", "name", "active")
    extra = 0
    show_change_link = True


@admin.register(Hall)
class HallAdmin(ImportableAdmin):
    resource_classes = [HallResource]
    list_display = ("code", "name", "kind", "region", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name")
    autocomplete_fields = ("region",)
    list_select_related = ("region",)
    inlines = [WindowInline]


@admin.register(Window)
class WindowAdmin(ImportableAdmin):
    resource_classes = [WindowResource]
    list_display = ("code", "name", "hall", "active")
    list_filter = ("hall", "active")
    search_fields = ("code", "name")
    filter_horizontal = ("departments",)
    list_select_related = ("hall",)


@admin.register(Staff)
class StaffAdmin(ImportableAdmin):
    resource_classes = [StaffResource]
    list_display = ("staff_no", "name", "department", "window", "active")
    list_filter = ("active", "department")
    search_fields = ("staff_no", "name")
    autocomplete_fields = ("department", "window", "user")
    list_select_related = ("department", "window__hall")


@admin.register(ServiceMatter)
class ServiceMatterAdmin(ImportableAdmin):
    resource_classes = [ServiceMatterResource]
    list_display = ("code", "name", "department", "kind", "consultation_only", "active")
    list_filter = ("kind", "consultation_only", "active")
    search_fields = ("code", "name")
    autocomplete_fields = ("department",)
    list_select_related = ("department",)


@admin.register(Tag)
class TagAdmin(ScopedModelAdmin):
    list_display = ("code", "text", "grade", "target", "position", "active")
    list_filter = ("target", "grade", "active")
    search_fields = ("code", "text")
