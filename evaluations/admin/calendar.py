from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import WorkCalendar
from ..workdays import known_years


@admin.register(WorkCalendar)
class WorkCalendarAdmin(admin.ModelAdmin):
    list_display = ("date", "weekday", "kind", "name", "note")
    list_filter = ("kind", ("date", admin.DateFieldListFilter))
    search_fields = ("name", "note")
    date_hierarchy = "date"
    list_per_page = 100

    @admin.display(description=_("星期"))
    def weekday(self, obj: WorkCalendar) -> str:
        return "一二三四五六日"[obj.date.weekday()]

    def changelist_view(self, request: HttpRequest, extra_context=None):
        this_year = timezone.localdate().year
        known = known_years()
        for year in (this_year, this_year + 1):
            if year not in known:
                messages.warning(
                    request,
                    _(
                        "%(year)d 年的节假日安排尚未录入：该年按周一至周五计算工作日。"
                        "请在国务院办公厅发布放假通知后逐日录入法定节假日和调休上班日。"
                    )
                    % {"year": year},
                )
        return super().changelist_view(request, extra_context)
