"""The NinjaAPI object of the business-system APIs; other apps add their routers in their ready().

It is kept apart from urls.py so that adding a router (reporting's rankings) never has to import the
URLconf: ninja refuses routers once ``api.urls`` has been read, which urls.py does when Django loads it.
"""

from . import evaluations, evaluations_bulk, records, tags
from .auth import ApiKeyAuth
from .factory import json_api

DESCRIPTION = """供业务系统调用的好差评接口。

认证：每个业务系统一个接口密钥，请求头 Authorization: Bearer <密钥>；缺少、错误或已停用返回 401。
请求体为 JSON（Content-Type: application/json）。时间一律为带时区偏移的 ISO 8601，例如 \
2025-10-09T14:30:00+08:00；不带时区的时间会被拒绝。
出错时返回 4xx 和 {"errors": [{"field": "字段", "code": "错误代码", "message": "中文说明"}]}。"""


api = json_api(title="好差评数据接口", description=DESCRIPTION, namespace="api", auth=ApiKeyAuth())
api.add_router("v1/", records.router)
api.add_router("v1/", evaluations.router)
api.add_router("v1/", evaluations_bulk.router)
api.add_router("v1/", tags.router)
