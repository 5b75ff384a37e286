"""The device registry in the admin, limited to the user's data scope.

A secret is made by the registry service and shown once, in a message after the add or the
"更换密钥" action; it is never a form field and never displayed again. Devices are retired with
"停用", not deleted (their serial stays on the ratings they sent). Who may manage devices is decided
here by role (hall managers, offices, system administrators; auditors read), as for the device pages.
"""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations.admin.base import ScopedModelAdmin, admin_user
from evaluations.models import Role

from .access import is_device_manager
from .forms import DeviceAdminForm
from .models import Device
from .services.alerts import ONLINE, STATUS_LABELS, device_status
from .services.registry import device_register, device_rotate_secret, device_set_active

ADD_FIELDS = ("serial", "kind", "hall", "window")
STATUS_FIELDS = (
    "active", "online", "firmware", "last_seen_at", "last_address", "registered_at", "rotated_at",
    "offline_alerted_at",
)  # fmt: skip
BADGE_COLOURS = {ONLINE: "#1a7f37", "offline": "#b81c22", "never": "#646a73", "inactive": "#646a73"}


@admin.register(Device)
class DeviceAdmin(ScopedModelAdmin):
    form = DeviceAdminForm
    list_display = ("serial", "kind", "hall", "window_code", "active", "firmware", "last_seen", "online")
    list_filter = ("kind", "active", "hall")
    search_fields = ("serial", "window__code", "window__name", "hall__name")
    list_select_related = ("hall", "window")
    autocomplete_fields = ("hall", "window")
    actions = ("rotate", "deactivate", "activate")

    def get_fields(self, request: HttpRequest, obj: Device | None = None) -> tuple[str, ...]:
        return ADD_FIELDS if obj is None else (*ADD_FIELDS, *STATUS_FIELDS)

    def get_readonly_fields(self, request: HttpRequest, obj: Device | None = None) -> tuple[str, ...]:
        # The serial is what the device signs with; a new device is a new registration.
        return () if obj is None else ("serial", *STATUS_FIELDS)

    @admin.display(description=gettext_lazy("窗口"), ordering="window__code")
    def window_code(self, obj: Device) -> str:
        return (
            format_html(
                '<span title="{}" style="white-space:nowrap">{}</span>', obj.window.name, obj.window.code
            )
            if obj.window
            else "—"
        )

    @admin.display(description=gettext_lazy("最近在线"), ordering="last_seen_at")
    def last_seen(self, obj: Device) -> str:
        return timezone.localtime(obj.last_seen_at).strftime("%m-%d %H:%M") if obj.last_seen_at else "—"

    @admin.display(description=gettext_lazy("在线状态"))
    def online(self, obj: Device) -> str:
        status = device_status(obj, timezone.now())
        return format_html(
            '<span style="color:{};font-weight:600">● {}</span>',
            BADGE_COLOURS[status],
            STATUS_LABELS[status],
        )

    # Django ignores the returned entry (the stubs say LogEntry); ours is the one the service wrote.
    def log_addition(self, request: HttpRequest, obj, message) -> None:  # type: ignore[override]
        """Nothing: the service that made it wrote the addition to the history (evaluations.audit)."""

    def save_model(self, request: HttpRequest, obj: Device, form: ModelForm, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)  # kind, hall or window; the secret stays
            return
        device, secret = device_register(
            by=admin_user(request), serial=obj.serial, window=obj.window, hall=obj.hall, kind=obj.kind
        )
        obj.pk = device.pk
        obj.refresh_from_db()
        _show_once(request, device, secret)

    # --- permissions by role (evaluations.roles grants none on this app) -------------------------

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Device | None = None) -> bool:
        user = admin_user(request)  # anonymous on the admin's login page: no role, no permission
        return user.is_authenticated and (is_device_manager(user) or user.role == Role.AUDITOR)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_device_manager(admin_user(request))

    def has_change_permission(self, request: HttpRequest, obj: Device | None = None) -> bool:
        return is_device_manager(admin_user(request))

    def has_delete_permission(self, request: HttpRequest, obj: Device | None = None) -> bool:
        return False

    # --- actions ---------------------------------------------------------------------------------

    @admin.action(description=gettext_lazy("更换密钥"), permissions=["change"])
    def rotate(self, request: HttpRequest, queryset: QuerySet[Device]) -> None:
        for device in queryset:
            secret = device_rotate_secret(by=admin_user(request), device=device)
            _show_once(request, device, secret)

    @admin.action(description=gettext_lazy("停用"), permissions=["change"])
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Device]) -> None:
        self._set_active(request, queryset, False)

    @admin.action(description=gettext_lazy("启用"), permissions=["change"])
    def activate(self, request: HttpRequest, queryset: QuerySet[Device]) -> None:
        self._set_active(request, queryset, True)

    def _set_active(self, request: HttpRequest, queryset: QuerySet[Device], active: bool) -> None:
        count = 0
        for device in queryset:
            device_set_active(by=admin_user(request), device=device, active=active)
            count += 1
        text = (
            _("已启用 %(count)d 台设备。") if active else _("已停用 %(count)d 台设备，它们的请求将被拒绝。")
        )
        messages.success(request, text % {"count": count})


def _show_once(request: HttpRequest, device: Device, secret: str) -> None:
    messages.warning(
        request,
        format_html(
            _("设备 {} 的密钥如下，只显示这一次。请立即抄录，离开本页后无法再次查看：<br><code>{}</code>"),
            device.serial,
            secret,
        ),
    )
