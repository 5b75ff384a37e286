"""Cases, ratings and 综合点评 in the admin: read-mostly, masked, scoped."""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ..models import Evaluation, Feedback, ServiceRecord
from .base import ScopedModelAdmin
from .masking import masked_text


class ReadOnlyAdmin(ScopedModelAdmin):
    """Rows written by the services only: the admin shows them and changes nothing."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(ServiceRecord)
class ServiceRecordAdmin(ReadOnlyAdmin):
    list_display = (
        "serial_no",
        "matter",
        "department",
        "channel",
        "status",
        "applicant",
        "phone",
        "completed_at",
    )
    list_filter = ("status", "channel", "consultation")
    search_fields = ("serial_no", "batch_no", "theme_no")
    list_select_related = ("matter", "department")
    date_hierarchy = "accepted_at"
    exclude = ("applicant_name", "applicant_id_number", "applicant_phone")
    readonly_fields = ("applicant", "identity", "phone")

    @admin.display(description=_("申请人"))
    def applicant(self, obj: ServiceRecord) -> str:
        return obj.masked_name

    @admin.display(description=_("证件号码"))
    def identity(self, obj: ServiceRecord) -> str:
        return obj.masked_id_number

    @admin.display(description=_("联系电话"))
    def phone(self, obj: ServiceRecord) -> str:
        return obj.masked_phone


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = (
        "rated_at",
        "record",
        "target",
        "stage",
        "grade",
        "kind",
        "channel",
        "department",
        "validity",
        "flagged",
    )
    list_filter = ("kind", "grade", "channel", "late_upload", "target", "validity", "flagged")
    search_fields = ("record__serial_no", "client_id")
    list_select_related = ("record", "department")
    date_hierarchy = "rated_at"
    exclude = ("evaluator_name", "evaluator_phone", "comment", "validity_reason")
    readonly_fields = ("evaluator", "phone", "masked_comment", "masked_validity_reason")
    masked_comment = masked_text("comment", _("评价内容"))
    masked_validity_reason = masked_text("validity_reason", _("认定理由"))

    @admin.display(description=_("评价人"))
    def evaluator(self, obj: Evaluation) -> str:
        return obj.masked_name

    @admin.display(description=_("评价人电话"))
    def phone(self, obj: Evaluation) -> str:
        return obj.masked_phone


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ("submitted_at", "department", "hall", "source", "status", "answered_at")
    list_filter = ("status", "source")
    search_fields = ("content",)
    list_select_related = ("department", "hall")
    exclude = ("contact_name", "contact_phone", "content", "answer")
    readonly_fields = ("masked_content", "masked_answer")
    masked_content = masked_text("content", _("点评内容"))
    masked_answer = masked_text("answer", _("答复"))
