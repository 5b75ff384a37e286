"""Provincial platforms on loopback (Zhejiang's form fields, Shandong's SM2 envelope), for the profile
tests: real HTTP servers that enforce the rules PROVINCIAL_INTERFACES.md lists — required fields and
code domains, a rating refused before its service record, (projectNo, assessNumber) unique with the
duplicate answer, a bad grade needing evalDetail or text, assessTime neither in the future nor before
the service, and (Shandong) the SM2 signature checked with the test's key pair."""

import json
import threading
import urllib.parse
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from reporting.upstream.mapping import BEIJING, TIME_FORMAT
from reporting.upstream.profiles import sm2
from reporting.upstream.profiles.shandong import sign_text

DUPLICATE = "评价数据不可重复"
# The national indicator list the platform knows (Shandong's connector fetches it from the platform).
NATIONAL_INDICATORS = {"A0101", "A0102", "A0201", "B0101", "B0102", "C0101"}
TENANCY = "370000000000"
APP_MARK, APP_WORD = "hcp-test-mark", "hcp-test-word"
RULES = {
    "zhejiang": {"source": "133", "user_prop": {"1", "2"}, "type_field": "promiseTime", "prefix": ""},
    "shandong": {
        "source": "165",
        "user_prop": {"1", "2", "3", "4", "5", "6", "9"},
        "type_field": "projectType",
        "prefix": "37",
    },
}
SERVICE_FIELDS = ("dataSource", "projectNo", "serviceNumber", "taskCode", "areaCode", "deptCode", "taskName")
SERVICE_FIELDS += ("proStatus", "userProp", "acceptDate")
RATING_FIELDS = ("dataSource", "projectNo", "serviceNumber", "taskCode", "areaCode", "deptCode", "pf")
RATING_FIELDS += ("satisfaction", "assessTime", "assessNumber")


class ProvincialPlatform(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, profile: str, *, our_public_key: str = "", private_key: str = "") -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.profile, self.rules = profile, RULES[profile]
        self.our_public_key, self.private_key = our_public_key, private_key  # Shandong's key pair
        self.down = False
        self.services: dict[tuple[str, str], dict] = {}
        self.ratings: dict[tuple[str, str], dict] = {}
        self.accepted: list[tuple[str, str, str]] = []  # (kind, projectNo, serviceNumber|assessNumber)
        self.answers: list[tuple[str, str]] = []  # (kind, the answer's text) for every request taken
        self.bodies: list[bytes] = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hcp"

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        self.thread.join(timeout=5)

    # --- the platform's rules -----------------------------------------------------------------

    def take(self, kind: str, record: dict) -> str:
        """'' when stored (or a repeat), else the refusal text."""
        required = SERVICE_FIELDS if kind == "service" else RATING_FIELDS
        missing = [name for name in required if not record.get(name)]
        if missing:
            return f"缺少必填字段：{','.join(missing)}"
        problem = self._codes(kind, record)
        if problem:
            return problem
        project, number = record["projectNo"], record["serviceNumber"]
        if kind == "service":
            self.services.setdefault((project, number), record)
            self.accepted.append(("service", project, number))
            return ""
        service = self.services.get((project, number))
        if service is None:
            return "办件服务信息不存在，请先推送办件"
        if (project, record["assessNumber"]) in self.ratings:
            return DUPLICATE
        if int(record["satisfaction"]) < 3 and not (
            record.get("evalDetail") or record.get("writingEvaluation")
        ):
            return "差评须选择评价指标或填写文字评价"
        unknown = [
            code
            for code in record.get("evalDetail", "").split(",")
            if code and code not in NATIONAL_INDICATORS
        ]
        if unknown:
            return f"评价指标编码不存在：{','.join(unknown)}"
        assessed = _time(record["assessTime"])
        if assessed is None:
            return "assessTime 格式错误"
        if assessed > datetime.now(BEIJING):
            return "评价时间不能晚于当前时间"
        served = _time(service.get("resultDate") or service["acceptDate"])
        if served is None or assessed < served:
            return "评价时间不能早于办件服务时间"
        self.ratings[(project, record["assessNumber"])] = record
        self.accepted.append(("rating", project, record["assessNumber"]))
        return ""

    def _codes(self, kind: str, record: dict) -> str:
        rules = self.rules
        if record["dataSource"] != rules["source"]:
            return "dataSource 不正确"
        if not record["projectNo"].startswith(rules["prefix"]):
            return "projectNo 缺少省份代码"
        if len(record["areaCode"]) != 12 or not record["areaCode"].isdigit():
            return "areaCode 应为 12 位行政区划代码"
        if len(record["deptCode"]) != 18:
            return "deptCode 应为 18 位统一社会信用代码"
        if len(record["taskCode"]) > 31:
            return "taskCode 超长"
        if record["serviceNumber"] not in {"1", "2"}:
            return "serviceNumber 不正确"
        if kind == "service":
            if record["proStatus"] not in {"1", "2", "3"} or record["userProp"] not in rules["user_prop"]:
                return "proStatus 或 userProp 代码不正确"
            if record.get(rules["type_field"]) not in {"1", "2"}:
                return f"{rules['type_field']} 代码不正确"
            return ""
        if record["pf"] not in set("1234567") or record["satisfaction"] not in set("12345"):
            return "pf 或 satisfaction 代码不正确"
        if record["assessNumber"] not in {"1", "2"}:
            return "assessNumber 代码不正确"
        return ""


def _time(text: str) -> datetime | None:
    try:
        return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=BEIJING)
    except ValueError:
        return None


class Handler(BaseHTTPRequestHandler):
    server: ProvincialPlatform

    def do_POST(self) -> None:
        platform = self.server
        raw = self.rfile.read(int(self.headers["Content-Length"]))
        if platform.down:
            return self._answer(503, {"message": "维护中"})
        kind = "service" if self.path.endswith(("/service", "/addEvaluateService")) else "rating"
        with platform.lock:
            platform.bodies.append(raw)
            if platform.profile == "zhejiang":
                record = {
                    name: values[0]
                    for name, values in urllib.parse.parse_qs(raw.decode(), keep_blank_values=True).items()
                }
                problem = platform.take(kind, record)
                answer = {"success": not problem, "msg": problem or "成功"}
            else:
                problem = self._shandong(kind, raw)
                answer = {"C-Response-Desc": problem or "success"}
            platform.answers.append((kind, problem))
        self._answer(200, answer)

    def _shandong(self, kind: str, raw: bytes) -> str:
        platform = self.server
        if self.headers.get("C-Tenancy-Id") != TENANCY:
            return "C-Tenancy-Id 不正确"
        body = json.loads(raw)["txnBodyCom"]
        if body.get("appMark") != APP_MARK or not sm2.verify(
            platform.our_public_key, body.get("sign", ""), sign_text(body.get("time", ""), APP_MARK, APP_WORD)
        ):
            return "签名验证失败"
        try:
            stamp = datetime.strptime(body.get("time", ""), "%Y%m%d%H%M%S").replace(tzinfo=BEIJING)
        except ValueError:
            return "time 格式错误"
        if abs((datetime.now(BEIJING) - stamp).total_seconds()) > 300:
            return "time 与平台时间相差超过 5 分钟"  # Beijing time, as the platform reads it
        sealed = body["params"].get("service" if kind == "service" else "evaluate", "")
        try:
            records = json.loads(sm2.decrypt(platform.private_key, sealed))
        except (ValueError, TypeError):
            return "参数解密失败"
        problems = [platform.take(kind, record) for record in records]
        return next((problem for problem in problems if problem), "")

    def _answer(self, status: int, answer: dict) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.end_headers()
        self.wfile.write(json.dumps(answer, ensure_ascii=False).encode())

    def log_message(self, *args) -> None:
        pass
