"""A URL configuration for the outage tests: one JSON operation and one page that need Redis itself.

Nothing in the product needs Redis in a request any more (issue 14 point 3); these two stand for the
next thing that will, so the 503 answers are proven on the real handler and middleware.
"""

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from config.urls import urlpatterns as product_urls
from evaluations.api.factory import api_urlpatterns, json_api

api = json_api(title="outage test", description="", namespace="outage-test-api", auth=None)


@api.get("/needs-redis")
def needs_redis_json(request: HttpRequest) -> dict:
    return {"value": cache.get("outage-test")}


def needs_redis_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"value: {cache.get('outage-test')}")


urlpatterns = [
    path("api/outage-test/", include(api_urlpatterns(api))),
    path("outage-test/page/", needs_redis_page),
    *product_urls,
]
