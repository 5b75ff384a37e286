"""Public disclosure pages (好差评专区) under /public/: no login, published circulars only."""

from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("", views.index, name="index"),
    path("region/<str:code>/", views.region, name="region"),
    path("department/<str:code>/", views.department, name="department"),
]
