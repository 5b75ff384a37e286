from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ..crypto import mask_signed_links
from ..models import ServiceRecord, SmsMessage
from ..pii import mask_text
from ..scope import visible_to
from ..services.sms import sms_retry
from .outbox import OutboxAdmin

# Shown above the list with links that filter by status: what needs attention at a glance.
COUNTED_STATUSES = (SmsMessage.Status.PENDING, SmsMessage.Status.FAILED, SmsMessage.Status.DEAD)


@admin.register(SmsMessage)
class SmsMessageAdmin(OutboxAdmin):
    """The outbox, read-only: rows are written by services and sent by the task, never edited by hand.

    The phone is encrypted at rest, so it can be neither searched nor shown in full here. Outside the
    system administrators a user sees the messages about cases in their data scope, and no others
    (work notices without a case included). The signed citizen link in a body (and in an error a
    gateway echoed) is shown masked to everyone: it would let its reader rate in the citizen's name.
    """

    change_list_template = "admin/evaluations/smsmessage/change_list.html"
    list_display = ("kind", "masked_phone", "status", "attempts", "send_after", "sent_at", "short_error")
    search_fields = ("record__serial_no",)
    search_help_text = _("按办件编号搜索（手机号已加密，不能搜索）。")
    date_hierarchy = "created_at"
    fields = (
        "kind",
        "masked_phone",
        "masked_body",
        "record",
        "status",
        "attempts",
        "send_after",
        "sent_at",
        "provider_id",
        "masked_error",
        "created_at",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[SmsMessage]:
        queryset = super().get_queryset(request)
        if getattr(request.user, "has_global_scope", False):
            return queryset
        return queryset.filter(record__in=visible_to(request.user, ServiceRecord.objects.all()))

    @admin.display(description=_("手机号码"))
    def masked_phone(self, obj: SmsMessage) -> str:
        return obj.masked_phone

    @admin.display(description=_("短信内容"))
    def masked_body(self, obj: SmsMessage) -> str:
        return mask_text(obj.masked_body)  # the link's signature, and any number a reply quotes

    def error_text(self, obj: SmsMessage) -> str:
        return mask_signed_links(obj.last_error)

    @admin.display(description=_("最近错误"))
    def masked_error(self, obj: SmsMessage) -> str:
        return self.error_text(obj)

    @admin.action(description=_("重新发送"), permissions=["retry"])
    def retry(self, request: HttpRequest, queryset: QuerySet[SmsMessage]) -> None:
        count = sms_retry(messages=queryset)
        skipped = queryset.count() - count
        messages.success(request, _("%(count)d 条短信已重新排队发送。") % {"count": count})
        if skipped:
            messages.info(request, _("%(count)d 条短信不是失败状态，未重新发送。") % {"count": skipped})

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        counts = self._counts(self.get_queryset(request))
        return super().changelist_view(request, {**(extra_context or {}), "sms_counts": counts})

    def _counts(self, queryset: QuerySet[SmsMessage]) -> list[dict]:
        found = dict(
            queryset.filter(status__in=COUNTED_STATUSES)
            .values_list("status")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return [
            {"status": status.value, "label": status.label, "count": found.get(status.value, 0)}
            for status in COUNTED_STATUSES
        ]
