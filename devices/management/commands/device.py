"""Evaluator devices from the command line. ``register`` and ``rotate`` print the secret on their
last line; it is shown only this once (DESIGN §7)."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError
from django.utils.translation import gettext as _

from evaluations.models import Hall, Window

from ...models import Device
from ...services.registry import device_register, device_rotate_secret, device_set_active


class Command(BaseCommand):
    help = "Register an evaluator device, rotate its secret, or deactivate it."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        register = sub.add_parser(
            "register", help="register device SERIAL at a window (or, a kiosk, in a hall)"
        )
        register.add_argument("--serial", required=True)
        place = register.add_mutually_exclusive_group(required=True)
        place.add_argument("--window", metavar="CODE", help="the window's code")
        place.add_argument("--hall", metavar="CODE", help="the hall's code, for a kiosk serving no window")
        register.add_argument("--kind", choices=Device.Kind.values, default=Device.Kind.EVALUATOR)
        rotate = sub.add_parser("rotate", help="give the device a new secret; the old one stops working")
        rotate.add_argument("--serial", required=True)
        deactivate = sub.add_parser("deactivate", help="refuse every request of the device from now on")
        deactivate.add_argument("--serial", required=True)

    def handle(self, *args, **options) -> None:
        action = options["action"]
        if action == "register":
            self._register(options)
        elif action == "rotate":
            device = self._device(options["serial"])
            secret = device_rotate_secret(by=None, device=device)
            self.stdout.write(
                _("已为设备“%(serial)s”更换密钥，旧密钥立即失效。新密钥只显示这一次：")
                % {"serial": device.serial}
            )
            self.stdout.write(secret)
        elif action == "deactivate":
            device = device_set_active(by=None, device=self._device(options["serial"]), active=False)
            self.stdout.write(_("已停用设备“%(serial)s”，其请求将被拒绝。") % {"serial": device.serial})

    def _register(self, options: dict) -> None:
        serial = options["serial"].strip()
        window = hall = None
        if options["window"]:
            window = Window.objects.select_related("hall").filter(code=options["window"]).first()
            if window is None:
                raise CommandError(_("窗口编码“%(code)s”不存在。") % {"code": options["window"]})
        else:
            hall = Hall.objects.filter(code=options["hall"]).first()
            if hall is None:
                raise CommandError(_("大厅编码“%(code)s”不存在。") % {"code": options["hall"]})
        if not serial or Device.objects.filter(serial=serial).exists():
            raise CommandError(_("设备序列号“%(serial)s”为空或已登记。") % {"serial": serial})
        try:
            device, secret = device_register(
                by=None, serial=serial, window=window, hall=hall, kind=options["kind"]
            )
        except IntegrityError as exc:  # registered a moment ago by someone else
            raise CommandError(_("设备序列号“%(serial)s”已登记。") % {"serial": serial}) from exc
        self.stdout.write(
            _("已登记设备“%(serial)s”（%(place)s）。设备密钥只显示这一次，请写入设备后妥善保管：")
            % {"serial": device.serial, "place": window or hall}
        )
        self.stdout.write(secret)

    def _device(self, serial: str) -> Device:
        device = Device.objects.filter(serial=serial.strip()).first()
        if device is None:
            raise CommandError(_("设备序列号“%(serial)s”未登记。") % {"serial": serial})
        return device
