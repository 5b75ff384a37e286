"""Every 4xx of the JSON APIs has one shape (DESIGN §7):
``{"errors": [{"field": "...", "code": "...", "message": "<Chinese>"}]}``.

This module turns each kind of failure into that shape: django-ninja's own validation errors
(missing fields, wrong types, bad choices, oversize text, times without an offset), a body that is
not JSON or not sent as ``application/json``, a missing or wrong key, the intake service's
``Refusal``, the records service's ``InputErrors``, and ``ApiError`` raised by the views.
"""

import logging
import re
from collections.abc import Callable, Iterable, Mapping
from functools import wraps
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from ..refusals import InputErrors, Refusal, input_error

logger = logging.getLogger(__name__)

ErrorList = list[dict[str, str]]

DATETIME_EXAMPLE = "2025-10-09T14:30:00+08:00"
_BAD_DATETIME = ("invalid_datetime", gettext_lazy("时间应为带时区偏移的 ISO 8601 格式，例如 %(example)s。"))
_NOT_INTEGER = ("invalid_type", gettext_lazy("应为整数。"))
_NOT_OBJECT = ("invalid_type", gettext_lazy("应为 JSON 对象。"))
# pydantic error type -> (our code, Chinese message); %(name)s are filled from the error's context.
PYDANTIC_ERRORS: dict[str, tuple[str, Any]] = {
    "missing": ("required", gettext_lazy("此项为必填项。")),
    "literal_error": ("invalid_choice", gettext_lazy("取值无效，可选值为：%(expected)s。")),
    "enum": ("invalid_choice", gettext_lazy("取值无效，可选值为：%(expected)s。")),
    "string_too_long": ("too_long", gettext_lazy("不能超过 %(max_length)s 个字符。")),
    "string_too_short": ("blank", gettext_lazy("不能为空。")),
    "too_long": ("too_many", gettext_lazy("最多 %(max_length)s 项。")),
    "greater_than_equal": ("out_of_range", gettext_lazy("不能小于 %(ge)s。")),
    "less_than_equal": ("out_of_range", gettext_lazy("不能大于 %(le)s。")),
    "string_type": ("invalid_type", gettext_lazy("应为字符串。")),
    "int_type": _NOT_INTEGER,
    "int_parsing": _NOT_INTEGER,
    "int_from_float": _NOT_INTEGER,
    "not_integral": ("not_integer", gettext_lazy("应为整数，不能带小数。")),
    "list_type": ("invalid_type", gettext_lazy("应为数组。")),
    "model_type": _NOT_OBJECT,
    "model_attributes_type": _NOT_OBJECT,
    "dict_type": _NOT_OBJECT,
    "timezone_aware": (
        "naive_datetime",
        gettext_lazy("时间须带时区偏移（例如 %(example)s），不接受不带时区的时间。"),
    ),
    "datetime_format": _BAD_DATETIME,
    "datetime_type": _BAD_DATETIME,
    "datetime_parsing": _BAD_DATETIME,
    "datetime_from_date_parsing": _BAD_DATETIME,
    # evaluations/api/text_types.py (issue 14 point 2)
    "nul_character": ("nul_character", gettext_lazy("不能包含空字符（NUL，U+0000）。")),
    "control_character": ("control_character", gettext_lazy("不能包含控制字符（如制表符、换行符）。")),
}
_INVALID = ("invalid", gettext_lazy("取值无效。"))
# Where ninja says a parameter came from: the first part of each error location.
_SOURCES = {"body", "path", "query", "header"}


class ApiError(Exception):
    """A refusal decided in the API layer (scope, size limits), rendered like every other error."""

    def __init__(self, status: int, code: str, message: str, *, field: str = "") -> None:
        self.status = status
        self.errors = [input_error(field, code, message)]
        super().__init__(f"{code}: {message}")


class NotJson(ValueError):
    """The request body was not sent as ``application/json``."""


class JsonParser(Parser):
    """ninja's parser, but a body must be declared as JSON: a form post is refused, not guessed."""

    def parse_body(self, request: HttpRequest) -> Any:
        if request.content_type != "application/json":
            raise NotJson(request.content_type)
        return super().parse_body(request)


def pydantic_errors(errors: Iterable[Mapping[str, Any]]) -> ErrorList:
    """Our error list for pydantic's, with Chinese messages; the location becomes "applicant.name"."""
    out = []
    for error in errors:
        code, template = PYDANTIC_ERRORS.get(error.get("type", ""), _INVALID)
        context = {key: value for key, value in (error.get("ctx") or {}).items()}
        if "expected" in context:  # "'pc', 'mobile' or 'qr'" -> "pc、mobile、qr"
            quoted = re.findall(r"'([^']*)'", str(context["expected"]))
            context["expected"] = "、".join(quoted) if quoted else str(context["expected"])
        context["example"] = DATETIME_EXAMPLE
        try:
            message = str(template) % context
        except (KeyError, TypeError, ValueError):
            message = str(_INVALID[1])
        out.append(input_error(_field_name(error.get("loc", ())), code, message))
    return out


def _field_name(location: Iterable) -> str:
    return ".".join(str(part) for part in location)


def ninja_validation_errors(errors: list[dict]) -> ErrorList:
    out = []
    for error in errors:
        location = list(error.get("loc", ()))
        if location and location[0] in _SOURCES:
            # ("body", "payload", "applicant", "name") -> "applicant.name"; ("path", "serial_no") stays.
            location = location[2:] if location[0] == "body" else location[1:]
        out.extend(pydantic_errors([{**error, "loc": tuple(location)}]))
    return out


def status_and_errors(exc: Exception) -> tuple[int, ErrorList] | None:
    """The status and error list for a failure the API reports to the client, else None."""
    if isinstance(exc, ApiError):
        return exc.status, exc.errors
    if isinstance(exc, Refusal):
        return exc.status, [exc.as_error()]
    if isinstance(exc, InputErrors):
        return 422, exc.errors
    if isinstance(exc, ValidationError):
        return 422, ninja_validation_errors(exc.errors)
    if isinstance(exc, AuthenticationError):
        return 401, [
            input_error("", "unauthorized", _("缺少有效的接口密钥（Authorization: Bearer <密钥>）。"))
        ]
    if isinstance(exc, HttpError):
        return _http_error(exc)
    if isinstance(exc, Http404):
        return 404, [input_error("", "not_found", _("请求的地址不存在。"))]
    if isinstance(exc, RequestDataTooBig):
        return 413, [input_error("", "payload_too_large", _("请求内容过大。"))]
    return None


def _http_error(exc: HttpError) -> tuple[int, ErrorList]:
    cause = exc.__cause__
    if isinstance(cause, NotJson):
        return 415, [
            input_error(
                "", "unsupported_media_type", _("请求内容须为 JSON（Content-Type: application/json）。")
            )
        ]
    if isinstance(cause, ValueError):  # JSONDecodeError, or a body that is not UTF-8
        return 400, [input_error("", "malformed_json", _("请求内容不是有效的 JSON。"))]
    if isinstance(cause, RequestDataTooBig):
        return 413, [input_error("", "payload_too_large", _("请求内容过大。"))]
    status = exc.status_code if 400 <= exc.status_code < 500 else 400
    return status, [input_error("", "bad_request", _("请求无效。"))]


def error_response(status: int, errors: ErrorList, **headers: str) -> HttpResponse:
    response = JsonResponse({"errors": errors}, status=status, json_dumps_params={"ensure_ascii": False})
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def install_error_handlers(api: NinjaAPI) -> None:
    """Route every failure of ``api``'s operations through ``status_and_errors``."""

    def handle(request: HttpRequest, exc: Exception) -> HttpResponse:
        found = status_and_errors(exc)
        if found is None:
            # A bug, not bad input: log it and answer in the same shape instead of an HTML page.
            logger.exception("api error on %s %s", request.method, request.path, exc_info=exc)
            return error_response(500, [input_error("", "server_error", _("服务器内部错误，请稍后重试。"))])
        status, errors = found
        if status == 401:
            return error_response(status, errors, WWW_Authenticate="Bearer")
        return error_response(status, errors)

    # ninja looks handlers up along the exception's MRO: replace its defaults and catch the rest.
    for exc_class in (Exception, Http404, HttpError, ValidationError):
        # ninja types the handler's argument as "an exception or its class"; it passes the instance.
        api.add_exception_handler(exc_class, handle)  # type: ignore[arg-type]


def json_fallbacks(view: Callable) -> Callable:
    """Wrap a ninja URL view so its 405 (plain text from ninja) and 404 (HTML from Django, e.g. the
    API root) carry the error list too."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return not_found(request)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response.get("Allow", "")
            message = _("不支持 %(method)s 请求，可用的方法：%(allowed)s。") % {
                "method": request.method,
                "allowed": allowed,
            }
            return error_response(405, [input_error("", "method_not_allowed", message)], Allow=allowed)
        return response

    return wrapped


@csrf_exempt
def not_found(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    """Unknown addresses under the API answer in JSON as well, whatever the method. Exempt from CSRF
    like every API view: a device or business system posting to a mistyped address (a trailing
    slash) is told 404 in JSON, not shown the browser's 页面已过期 page."""
    message = _("请求的地址不存在。")
    if request.path.endswith("/") and _is_api_operation(request.path[:-1]):
        message = _("请求的地址不存在：接口地址没有结尾斜杠，请使用 %(path)s。") % {"path": request.path[:-1]}
    return error_response(404, [input_error("", "not_found", message)])


def _is_api_operation(path: str) -> bool:
    try:
        return resolve(path).url_name != "not-found"
    except Resolver404:
        return False


def install_unavailable_handler(api: NinjaAPI) -> None:
    """Redis (cache or Celery broker) unreachable inside an operation: 503 with Retry-After and the code
    ``temporarily_unavailable``, never a 500 (issue 14 point 3). More specific than the ``Exception``
    handler above, so ninja picks it whichever was installed first."""
    from ..outage import OUTAGE_ERRORS, unavailable_json

    def handle(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.warning("503 on %s %s: %s: %s", request.method, request.path, type(exc).__name__, exc)
        return unavailable_json()

    for exc_class in OUTAGE_ERRORS:
        api.add_exception_handler(exc_class, handle)  # type: ignore[arg-type]
