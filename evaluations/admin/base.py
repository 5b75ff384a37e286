from typing import TYPE_CHECKING, Any, cast

from django.contrib import admin
from django.db.models import ForeignKey, ManyToManyField
from django.http import HttpRequest

from ..models import User
from ..scope import visible_to


def admin_user(request: HttpRequest) -> User:
    """The user of an admin request: the admin site lets in only logged-in staff (our ``User``)."""
    return cast(User, request.user)


if TYPE_CHECKING:  # the admin classes the mixin goes with, so that super() type-checks
    _AdminBase = admin.options.BaseModelAdmin
else:
    _AdminBase = object


class ScopedAdminMixin(_AdminBase):
    """Admin lists, lookups and choices limited to the user's data scope."""

    def get_queryset(self, request: HttpRequest):
        return visible_to(request.user, super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        queryset = getattr(formfield, "queryset", None)
        if formfield is not None and queryset is not None:
            formfield.queryset = visible_to(request.user, queryset)
        return formfield

    def formfield_for_manytomany(self, db_field: ManyToManyField, request: HttpRequest, **kwargs: Any):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        queryset = getattr(formfield, "queryset", None)
        if formfield is not None and queryset is not None:
            formfield.queryset = visible_to(request.user, queryset)
        return formfield


class ScopedModelAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_per_page = 50
