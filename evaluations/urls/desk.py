from django.urls import path

from ..views import desk as views

app_name = "desk"

urlpatterns = [
    path("entry/", views.rating_entry, name="entry"),
    path("feedback/", views.feedback_list, name="feedback"),
    path("feedback/new/", views.feedback_new, name="feedback_new"),
    path("feedback/<int:pk>/answer/", views.feedback_reply, name="feedback_answer"),
]
