from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.models import ApiKey, Region
from evaluations.services.apikeys import ApiKeyError, apikey_create, apikey_revoke, apikey_rotate


class Command(BaseCommand):
    help = (
        "Records-API keys of business systems. 'create' and 'rotate' print the new key on their last "
        "line; it is shown only once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="issue a key for business system NAME")
        create.add_argument("name")
        create.add_argument("--region", metavar="CODE", help="limit the key to this region's subtree")
        create.add_argument(
            "--rankings", action="store_true", help="let the key read GET /api/v1/rankings (big screens)"
        )
        rotate = sub.add_parser("rotate", help="give NAME a new key; the old one stops working")
        rotate.add_argument("name")
        revoke = sub.add_parser("revoke", help="stop every request made with NAME's key")
        revoke.add_argument("name")
        sub.add_parser("list", help="list the keys (never the secrets)")

    def handle(self, *args, **options) -> None:
        action = options["action"]
        if action == "create":
            self._create(options["name"], options["region"], options["rankings"])
        elif action == "rotate":
            key = self._key(options["name"])
            full_key = apikey_rotate(by=None, key=key)
            self.stdout.write(
                _("已为“%(name)s”更换密钥，旧密钥立即失效。新密钥只显示这一次：") % {"name": key.name}
            )
            self.stdout.write(full_key)
        elif action == "revoke":
            key = self._key(options["name"])
            apikey_revoke(by=None, key=key)
            self.stdout.write(_("已停用“%(name)s”的接口密钥。") % {"name": key.name})
        else:
            self._list()

    def _create(self, name: str, region_code: str | None, reads_rankings: bool) -> None:
        region = None
        if region_code:
            region = Region.objects.filter(code=region_code).first()
            if region is None:
                raise CommandError(_("区划代码“%(code)s”不存在。") % {"code": region_code})
        try:
            key, full_key = apikey_create(by=None, name=name, region=region, reads_rankings=reads_rankings)
        except ApiKeyError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            _("已为“%(name)s”创建接口密钥。密钥只显示这一次，请妥善保存：") % {"name": key.name}
        )
        self.stdout.write(full_key)

    def _key(self, name: str) -> ApiKey:
        key = ApiKey.objects.filter(name=name).first()
        if key is None:
            raise CommandError(_("没有名为“%(name)s”的接口密钥。") % {"name": name})
        return key

    def _list(self) -> None:
        for key in ApiKey.objects.select_related("region").order_by("name"):
            last_used = timezone.localtime(key.last_used_at).isoformat() if key.last_used_at else "-"
            self.stdout.write(
                "\t".join(
                    [
                        key.name,
                        key.prefix,
                        _("启用") if key.active else _("已停用"),
                        key.region.code if key.region else "-",
                        last_used,
                    ]
                )
            )
