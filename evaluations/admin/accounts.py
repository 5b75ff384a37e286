from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from ..models import User
from .base import ScopedAdminMixin


@admin.register(User)
class UserAdmin(ScopedAdminMixin, DjangoUserAdmin):
    list_display = ("username", "name", "role", "region", "department", "is_active", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("username", "name", "phone")
    autocomplete_fields = ("region", "department")
    list_select_related = ("region", "department")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("name", "phone", "email")}),
        (_("角色与数据范围"), {"fields": ("role", "region", "department")}),
        (_("状态"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "password1", "password2")}),
        (_("角色与数据范围"), {"fields": ("name", "role", "region", "department")}),
    )
    readonly_fields = ("last_login", "date_joined")
