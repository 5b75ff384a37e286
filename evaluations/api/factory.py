"""The one construction of our JSON APIs (records/evaluations/rankings, devices): the same parser,
renderer, plain docs page and error handlers, and URL patterns whose every 404/405 answers in JSON."""

from typing import Any

from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from .docs import PlainDocs
from .errors import JsonParser, install_error_handlers, install_unavailable_handler, json_fallbacks, not_found


class Utf8JsonRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Chinese messages readable as they are


def json_api(*, title: str, description: str, namespace: str, auth: Any) -> NinjaAPI:
    api = NinjaAPI(
        title=title,
        version="1.0",
        description=description,
        urls_namespace=namespace,
        auth=auth,
        parser=JsonParser(),
        renderer=Utf8JsonRenderer(),
        docs=PlainDocs(),
        docs_url="/docs",
        openapi_url="/openapi.json",
    )
    install_error_handlers(api)
    install_unavailable_handler(api)
    return api


def api_urlpatterns(api: NinjaAPI, *, unknown: str = r"^") -> list[URLPattern | URLResolver]:
    """The API's patterns, each view answering bad methods in JSON, then a JSON 404 for ``unknown``."""
    patterns, _app_name, _namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = json_fallbacks(pattern.callback)
    return [*patterns, re_path(unknown, not_found, name="not-found")]
