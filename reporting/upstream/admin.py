"""The upstream outbox in the admin: counts at the top, filters, the last error, "重新发送", and the
historical import page (upload a file, see each row's errors)."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations.admin.outbox import OutboxAdmin

from ..models import UpstreamMessage
from .importer import ImportFileError, history_import_file
from .indicators import tags_without_indicator
from .profiles import current_profile
from .push import upstream_counts, upstream_retry

Status = UpstreamMessage.Status
LABELS = {Status.SENT: gettext_lazy("近 24 小时已上报")}  # sent rows pile up: the header counts a day


class HistoryImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("导出文件"),
        help_text=gettext_lazy("xlsx 或 csv，表头为国家平台字段名（见 docs/upstream.md）。"),
    )
    report_upstream = forms.BooleanField(
        label=gettext_lazy("导入后上报省级平台"),
        required=False,
        initial=True,
        help_text=gettext_lazy("原系统已经上报过的历史数据请取消勾选。"),
    )


@admin.register(UpstreamMessage)
class UpstreamMessageAdmin(OutboxAdmin):
    """Read-only: rows are written by the signal receivers and sent by the task, never edited by hand."""

    change_list_template = "admin/reporting/upstreammessage/change_list.html"
    list_display = (
        "id",
        "kind",
        "profile",
        "project_no",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "short_error",
    )
    search_fields = ("idempotency_key", "=payload__projectNo", "=order__number")
    search_help_text = gettext_lazy("按幂等键、办件编号或工单编号搜索。")
    error_chars = 60
    show_full_result_count = False  # the outbox grows with every rating; the counts above are enough
    fields = (
        "kind",
        "profile",
        "status",
        "evaluation",
        "order",
        "case_key",
        "idempotency_key",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
        "created_at",
        "payload",
        "sent_body",
    )
    readonly_fields = fields

    @admin.display(description=gettext_lazy("办件编号"))
    def project_no(self, obj: UpstreamMessage) -> str:
        return obj.payload.get("projectNo", "") if isinstance(obj.payload, dict) else ""

    @admin.action(description=gettext_lazy("重新发送"), permissions=["retry"])
    def retry(self, request: HttpRequest, queryset: QuerySet[UpstreamMessage]) -> None:
        selected = list(queryset.values_list("pk", flat=True))
        count = upstream_retry(messages=selected)
        messages.success(request, _("%(count)d 条消息已重新排队上报。") % {"count": count})
        if len(selected) > count:
            messages.info(
                request,
                _("%(count)d 条消息不是失败或放弃状态，未重新发送。") % {"count": len(selected) - count},
            )

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        counts = upstream_counts()
        profile = current_profile()
        context = {
            "upstream_counts": [
                {
                    "status": status.value,
                    "label": LABELS.get(status, status.label),
                    "count": counts[status.value],
                }
                for status in Status
            ],
            "upstream_disabled": not settings.UPSTREAM_URL,
            "upstream_profile": profile,
            "uncoded_tags": list(tags_without_indicator(profile.name)),
            "can_import": request.user.has_perm("reporting.import_history"),
        }
        return super().changelist_view(request, {**(extra_context or {}), **context})

    def get_urls(self) -> list:
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="reporting_upstreammessage_import"), *super().get_urls()]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("reporting.import_history"):
            raise PermissionDenied
        form = HistoryImportForm(request.POST or None, request.FILES or None)
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("导入历史评价数据"),
            "form": form,
            "columns": _columns(),
            "changelist_url": reverse("admin:reporting_upstreammessage_changelist"),
        }
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                context["result"] = history_import_file(
                    content=upload.read(),
                    filename=upload.name,
                    report_upstream=form.cleaned_data["report_upstream"],
                )
            except ImportFileError as exc:
                context["file_error"] = exc.message
        return TemplateResponse(request, "admin/reporting/upstreammessage/import.html", context)


def _columns() -> list[tuple[str, str, bool]]:
    from .import_rows import COLUMNS, REQUIRED_COLUMNS

    return [(name, label, name in REQUIRED_COLUMNS) for name, label in COLUMNS.items()]
