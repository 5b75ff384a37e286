"""A window evaluator on the command line: sends signed requests to the device API (DESIGN §7).

- single mode (default): heartbeat, pending, and one rating (of the pending case if there is one,
  else of the staff on duty), printing each response;
- ``--load N --clients C --duplicates 0.3``: N distinct ratings from C client processes plus a 30 %
  share re-sent (same client_id and body, new nonce and timestamp, as a device retry), then
  ratings/second, p50/p99 latency and the status counts. With ``--cases`` it first creates N
  completed cases at the device's window in this project's database (the server must use the same
  database); without, the ratings are of the window's staff on duty;
- ``--bench``: the device benchmark (bench/device_bench.py): a throw-away database, gunicorn, the
  load above with exactly-N check, and pgbench's INSERT baseline in the same run.
"""

import json
import secrets
import urllib.error
import urllib.request
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from bench import device_bench, device_load
from bench.device_prepare import prepare_cases, prepare_devices
from evaluations.models import Evaluation, Window

from ...auth import signed_headers
from ...models import Device
from ...services.registry import device_register

API = "/api/devices/v1"


class Command(BaseCommand):
    help = "Simulate a window evaluator: one signed exchange, a load of N ratings, or the device benchmark."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--serial", help="serial of an existing device (or of the one --register creates)"
        )
        parser.add_argument("--secret", help="the device's secret")
        parser.add_argument("--register", action="store_true", help="register a new device at --window first")
        parser.add_argument("--window", metavar="CODE", help="window of the device --register creates")
        parser.add_argument("--kind", choices=Device.Kind.values, default=Device.Kind.EVALUATOR)
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="the server (default %(default)s)")
        parser.add_argument("--load", type=int, default=0, metavar="N", help="send N distinct ratings")
        parser.add_argument("--clients", type=int, default=4, metavar="C", help="concurrent client processes")
        parser.add_argument(
            "--duplicates", type=float, default=0.3, help="share of ratings re-sent as retries"
        )
        parser.add_argument(
            "--cases", action="store_true", help="load: rate N new cases at the device's window"
        )
        parser.add_argument(
            "--bench", action="store_true", help="run the device benchmark (see docs/benchmarks.md)"
        )
        parser.add_argument("--devices", type=int, default=20, help="bench: evaluators registered")
        parser.add_argument("--workers", type=int, default=2, help="bench: gunicorn workers")
        parser.add_argument("--port", type=int, default=8766, help="bench: gunicorn port")
        parser.add_argument("--keep", action="store_true", help="bench: keep the benchmark database")
        parser.add_argument("--bench-prepare", type=int, default=0, metavar="N", help="internal (bench)")

    def handle(self, *args, **options) -> None:
        if options["bench_prepare"]:
            self._bench_prepare(options["bench_prepare"], options["devices"])
        elif options["bench"]:
            self._bench(options)
        else:
            serial, secret = self._credentials(options)
            if options["load"]:
                self._load(options, serial, secret)
            else:
                self._single(options["url"], serial, secret)

    def _credentials(self, options: dict) -> tuple[str, str]:
        if not options["register"]:
            if not (options["serial"] and options["secret"]):
                raise CommandError(
                    _("请用 --serial 和 --secret 指定已登记的设备，或用 --register --window 新登记一台。")
                )
            return options["serial"], options["secret"]
        window = Window.objects.select_related("hall").filter(code=options["window"] or "").first()
        if window is None:
            raise CommandError(_("--register 需要有效的 --window 窗口编码。"))
        serial = options["serial"] or f"SIM-{secrets.token_hex(4).upper()}"
        device, secret = device_register(by=None, serial=serial, window=window, kind=options["kind"])
        self.stdout.write(
            _("已登记模拟设备 %(serial)s（%(window)s），密钥：") % {"serial": serial, "window": window}
        )
        self.stdout.write(secret)
        return device.serial, secret

    # --- single mode ----------------------------------------------------------------------------

    def _single(self, url: str, serial: str, secret: str) -> None:
        firmware = {"firmware": "simulator-1.0"}
        statuses = [self._exchange(url, serial, secret, "POST", "heartbeat", firmware)[0]]
        status, pending = self._exchange(url, serial, secret, "GET", "pending")
        statuses.append(status)
        body: dict = {
            "client_id": f"sim-{secrets.token_hex(8)}",
            "grade": 5,
            "tags": [],
            "comment": "",
            "rated_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        }
        if status == 200 and pending:
            body["serial_no"] = pending["serial_no"]
        statuses.append(self._exchange(url, serial, secret, "POST", "evaluations", body)[0])
        if any(not 200 <= status < 300 for status in statuses):
            raise CommandError(_("有请求未成功：%(statuses)s") % {"statuses": statuses})

    def _exchange(self, url: str, serial: str, secret: str, method: str, name: str, body: dict | None = None):
        path = f"{API}/{name}"
        data = b"" if body is None else json.dumps(body, ensure_ascii=False).encode()
        headers = signed_headers(serial=serial, secret=secret, method=method, path=path, body=data)
        if body is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(
            f"{url.rstrip('/')}{path}",
            data=data if body is not None else None,
            headers=headers,
            method=method,
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, answer = response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            status, answer = error.code, json.loads(error.read() or b"null")
        except urllib.error.URLError as error:
            raise CommandError(
                _("无法连接 %(url)s：%(reason)s") % {"url": url, "reason": error.reason}
            ) from error
        self.stdout.write(f"{method} {path} -> {status}")
        self.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2))
        return status, answer

    # --- load mode ------------------------------------------------------------------------------

    def _load(self, options: dict, serial: str, secret: str) -> None:
        count = options["load"]
        cases: list[str | None] = [None] * count
        if options["cases"]:
            device = Device.objects.select_related("window").filter(serial=serial).first()
            if device is None or device.window is None:
                raise CommandError(_("--cases 需要本数据库中登记在窗口的设备。"))
            cases = list(prepare_cases([device], count))
        prefix = f"sim-{secrets.token_hex(4)}"
        jobs = device_load.jobs_for([(serial, secret, case) for case in cases], prefix=prefix)
        sent = device_load.with_retries(jobs, options["duplicates"])
        outcome = device_load.run(options["url"], sent, options["clients"])
        stored = Evaluation.objects.filter(client_id__startswith=f"{prefix}-").count()
        latencies = outcome.latencies_ms
        lines = [
            f"requests            {len(sent)} ({count} ratings + {len(sent) - count} retries)",
            f"clients             {options['clients']}",
            f"statuses            {dict(sorted(outcome.statuses.items()))}",
            f"seconds             {outcome.seconds:.1f}",
            f"ratings/s           {count / outcome.seconds:.0f}",
            f"requests/s          {len(sent) / outcome.seconds:.0f}",
            f"latency p50 / p99   {device_load.percentile(latencies, 0.5):.1f} ms / "
            f"{device_load.percentile(latencies, 0.99):.1f} ms",
            f"ratings stored      {stored} (in this project's database; 0 if the server uses another)",
        ]
        self.stdout.write("\n".join(lines))

    # --- benchmark ------------------------------------------------------------------------------

    def _bench(self, options: dict) -> None:
        bench_options = device_bench.Options(
            ratings=options["load"] or 10_000,
            clients=options["clients"],
            devices=options["devices"],
            duplicates=options["duplicates"],
            workers=options["workers"],
            port=options["port"],
            keep=options["keep"],
        )
        device_bench.run(bench_options, self.stdout.write)  # CommandError when its own checks fail

    def _bench_prepare(self, count: int, devices: int) -> None:
        registered = prepare_devices(devices)
        serials = prepare_cases([device for device, _secret in registered], count)
        credentials = [[device.serial, secret] for device, secret in registered]
        self.stdout.write(json.dumps({"devices": credentials, "cases": serials}))
