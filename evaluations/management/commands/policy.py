import json

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from evaluations.models import PRESETS, Preset, Region
from evaluations.services.policies import policy_rules, policy_set


class Command(BaseCommand):
    help = (
        "A region's rules (DESIGN §5). 'set' makes the region follow a preset in every rule; 'show' "
        "prints the rules it applies as one JSON object on its last line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        choose = sub.add_parser(
            "set", help="make REGION_CODE follow PRESET (national, tianjin, ganzhou, qingdao)"
        )
        choose.add_argument("region_code")
        choose.add_argument("preset")
        choose.add_argument(
            "--keep-overrides", action="store_true", help="keep the rules this region overrides"
        )
        show = sub.add_parser("show", help="print the rules REGION_CODE applies, as JSON")
        show.add_argument("region_code")

    def handle(self, *args, **options) -> None:
        region = Region.objects.filter(code=options["region_code"]).first()
        if region is None:
            raise CommandError(
                _("区划代码“%(code)s”不存在。") % {"code": options["region_code"]}, returncode=2
            )
        if options["action"] == "set":
            preset = options["preset"]
            if preset not in PRESETS:
                names = "、".join(f"{value}（{label}）" for value, label in Preset.choices)
                raise CommandError(
                    _("没有名为“%(preset)s”的预设。可选：%(names)s。") % {"preset": preset, "names": names},
                    returncode=2,
                )
            policy = policy_set(region=region, preset=preset, keep_overrides=options["keep_overrides"])
            kept = policy.overrides()
            self.stdout.write(
                _("%(region)s 已按“%(preset)s”设置全部规则。")
                % {"region": region, "preset": policy.get_preset_display()}
                + (_("保留的覆盖项：%(fields)s。") % {"fields": "、".join(kept)} if kept else "")
            )
        self.stdout.write(json.dumps(policy_rules(region), ensure_ascii=False))
