from django.urls import path

from ..views import flags as views

app_name = "reviews"

urlpatterns = [
    path("flags/", views.flag_queue, name="flags"),
    path("flags/<int:pk>/decide/", views.flag_decide, name="flag_decide"),
]
