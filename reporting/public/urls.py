"""Public disclosure pages (好差评专区) under /public/. Placeholder: filled in by the public-pages work."""

app_name = "public"
urlpatterns: list = []
