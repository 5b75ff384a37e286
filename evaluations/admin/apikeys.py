from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import ApiKey
from ..services.apikeys import apikey_create, apikey_revoke, apikey_rotate
from .base import admin_user

DETAIL_FIELDS = ("prefix", "active", "created_at", "rotated_at", "revoked_at", "last_used_at")


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """The keys of the business systems that push cases and ratings (records API).

    Only a hash is stored: the full key is shown once, in a message, when it is created or
    rotated. Keys are revoked, never deleted, because cases keep a reference to the system
    that pushed them. Only system administrators hold these permissions (evaluations.roles).
    """

    list_display = (
        "name", "prefix", "region", "reads_rankings", "active", "last_used_at", "rotated_at", "created_at",
    )  # fmt: skip
    list_filter = ("active",)
    search_fields = ("name", "prefix")
    list_select_related = ("region",)
    autocomplete_fields = ("region",)
    readonly_fields = DETAIL_FIELDS
    actions = ("rotate", "revoke")

    def get_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> tuple[str, ...]:
        editable = ("name", "region", "reads_rankings")
        return editable if obj is None else (*editable, *DETAIL_FIELDS)

    # Django ignores the returned entry; ours is the one the service wrote.
    def log_addition(self, request: HttpRequest, obj, message) -> None:  # type: ignore[override]
        """Nothing: the service that made it wrote the addition to the history (evaluations.audit)."""

    def save_model(self, request: HttpRequest, obj: ApiKey, form: ModelForm, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)  # a new name or region; the secret stays
            return
        key, full_key = apikey_create(
            by=admin_user(request), name=obj.name, region=obj.region, reads_rankings=obj.reads_rankings
        )
        obj.pk = key.pk
        obj.refresh_from_db()
        _show_once(request, key, full_key)

    def has_delete_permission(self, request: HttpRequest, obj: ApiKey | None = None) -> bool:
        return False

    @admin.action(description=gettext_lazy("更换密钥"), permissions=["change"])
    def rotate(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        for key in queryset:
            full_key = apikey_rotate(by=admin_user(request), key=key)
            _show_once(request, key, full_key)

    @admin.action(description=gettext_lazy("停用"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        count = 0
        for key in queryset:
            apikey_revoke(by=admin_user(request), key=key)
            count += 1
        messages.success(
            request, _("已停用 %(count)d 个接口密钥，使用它们的请求将被拒绝。") % {"count": count}
        )


def _show_once(request: HttpRequest, key: ApiKey, full_key: str) -> None:
    messages.warning(
        request,
        format_html(
            _("“{}”的接口密钥如下，只显示这一次，请立即复制并交给该系统：<br><code>{}</code>"),
            key.name,
            full_key,
        ),
    )
