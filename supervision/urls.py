"""Staff pages of 监督查评 under /supervision/."""

from django.urls import path

from .views import index, inspections, records

app_name = "supervision"

urlpatterns = [
    path("", index.index, name="index"),
    path("inspections/new/", inspections.plan_new, name="plan_new"),
    path("inspections/<int:pk>/", inspections.inspection, name="inspection"),
    path("inspections/<int:pk>/visits/new/", inspections.visit_new, name="visit_new"),
    path("visits/<int:pk>/", inspections.visit, name="visit"),
    path("visits/<int:pk>/findings/", inspections.finding_new, name="finding_new"),
    path("findings/<int:pk>/photo", inspections.photo, name="photo"),
    path("findings/<int:pk>/order/", inspections.finding_order, name="finding_order"),
    path("forums/new/", records.forum_new, name="forum_new"),
    path("forums/<int:pk>/", records.forum, name="forum"),
    path("forums/<int:pk>/issues/", records.forum_issue_new, name="forum_issue_new"),
    path("issues/<int:pk>/order/", records.forum_issue_order, name="issue_order"),
    path("assessments/new/", records.assessment_new, name="assessment_new"),
    path("assessments/<int:pk>/", records.assessment, name="assessment"),
]
