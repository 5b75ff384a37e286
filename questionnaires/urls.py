"""Staff pages of the questionnaires under /supervision/questionnaires/."""

from django.urls import path

from .views import builder, results

app_name = "questionnaires"

urlpatterns = [
    path("", builder.questionnaire_list, name="list"),
    path("new/", builder.questionnaire_new, name="new"),
    path("<int:pk>/", builder.questionnaire_detail, name="detail"),
    path("<int:pk>/questions/", builder.question_new, name="question_new"),
    path("<int:pk>/questions/<int:question_pk>/up/", builder.question_up, name="question_up"),
    path("<int:pk>/questions/<int:question_pk>/down/", builder.question_down, name="question_down"),
    path("<int:pk>/questions/<int:question_pk>/delete/", builder.question_delete, name="question_delete"),
    path("<int:pk>/publish/", builder.publish, name="publish"),
    path("<int:pk>/close/", builder.close, name="close"),
    path("<int:pk>/results/", results.results, name="results"),
    path("<int:pk>/export.xlsx", results.export, name="export"),
    path("<int:pk>/qr/", results.qr_sheet, name="qr_sheet"),
    path("<int:pk>/qr.svg", results.qr_image, {"fmt": "svg"}, name="qr_svg"),
    path("<int:pk>/qr.png", results.qr_image, {"fmt": "png"}, name="qr_png"),
]
