from django.contrib import admin
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
    pass


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
