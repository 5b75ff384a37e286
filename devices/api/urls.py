"""The device API (DESIGN §7), mounted at /api/devices/v1/ by config/urls.py.

- ``POST heartbeat``, ``GET pending``, ``POST evaluations``, ``POST evaluations/bulk`` (an offline
  buffer, up to 500 ratings), every request signed (devices/auth.py);
- ``openapi.json`` and ``docs``: the schema, and the same as a plain page (no CDN).
"""

from django.http import HttpRequest, HttpResponse

from evaluations.api.errors import error_response
from evaluations.api.factory import api_urlpatterns, json_api

from ..auth import DeviceAuthError, DeviceSignatureAuth
from . import bulk, routes

DESCRIPTION = """供大厅窗口评价器、评价平板和自助终端调用的接口。

每个请求都要签名：请求头 X-Device-Id（设备序列号）、X-Timestamp（Unix 秒，与服务器相差不超过 300 秒）、\
X-Nonce（每次不同）、X-Signature = 十六进制 HMAC-SHA256(设备密钥, METHOD + "\\n" + PATH + "\\n" + \
timestamp + "\\n" + nonce + "\\n" + 十六进制 sha256(请求体))。PATH 为不含查询串的完整路径，例如 \
/api/devices/v1/heartbeat（无结尾斜杠）；GET 的空请求体按零字节计算 sha256。设备密钥即登记时显示的 64 位\
十六进制字符串本身。
签名不通过返回 401，错误代码分别为 missing_headers、unknown_device、inactive_device、stale_timestamp、\
bad_signature、replayed_nonce。
出错时返回 4xx 和 {"errors": [{"field": "字段", "code": "错误代码", "message": "中文说明"}]}。"""

api = json_api(
    title="好差评评价设备接口", description=DESCRIPTION, namespace="devices-api", auth=DeviceSignatureAuth()
)


# Registered with the decorator: add_exception_handler's stub wants a handler that also accepts the
# exception class, but ninja only ever passes the instance.
@api.exception_handler(DeviceAuthError)
def _device_auth_error(request: HttpRequest, exc: DeviceAuthError) -> HttpResponse:
    # A 401 names its scheme (RFC 9110); the records API's handler would say "Bearer".
    return error_response(exc.status, exc.errors, WWW_Authenticate="Device-HMAC-SHA256")


api.add_router("", routes.router)
api.add_router("", bulk.router)


app_name = "devices-api"
urlpatterns = api_urlpatterns(api)
