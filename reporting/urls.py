"""Reporting pages under /reports/; each feature keeps its own urlpatterns beside its views."""

from .views import circulars, dashboard, exports, rankings, revisits

app_name = "reporting"
urlpatterns = [
    *dashboard.urlpatterns,
    *rankings.urlpatterns,
    *circulars.urlpatterns,
    *revisits.urlpatterns,
    *exports.urlpatterns,
]
