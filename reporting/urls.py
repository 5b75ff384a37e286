"""Reporting pages under /reports/; each feature keeps its own urlpatterns beside its views."""

from .circulars import views as circulars
from .dashboard import views as dashboard
from .exports import views as exports
from .rankings import views as rankings
from .revisits import views as revisits

app_name = "reporting"
urlpatterns = [
    *dashboard.urlpatterns,
    *rankings.urlpatterns,
    *circulars.urlpatterns,
    *revisits.urlpatterns,
    *exports.urlpatterns,
]
