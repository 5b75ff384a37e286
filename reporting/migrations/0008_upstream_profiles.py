# Issue 15 (written by hand): provincial profiles — service-record messages, the profile that wrote a
# row, the exact body last sent, and the national indicator code of a tag per profile.
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0001_initial"),
        ("reporting", "0007_flag_review"),
    ]

    operations = [
        migrations.AlterField(
            model_name="upstreammessage",
            name="kind",
            field=models.CharField(
                choices=[
                    ("service", "办件服务"),
                    ("evaluation", "评价"),
                    ("timeout", "超期默认/未评"),
                    ("dispatched", "差评工单派发"),
                    ("rectified", "差评整改答复"),
                    ("revisited", "差评回访"),
                    ("voided", "差评申诉成立"),
                ],
                max_length=16,
                verbose_name="类型",
            ),
        ),
        migrations.AddField(
            model_name="upstreammessage",
            name="profile",
            field=models.CharField(db_default="generic", default="generic", max_length=32, verbose_name="对接规范"),
        ),
        migrations.AddField(
            model_name="upstreammessage",
            name="sent_body",
            field=models.TextField(blank=True, db_default="", verbose_name="最近发送的报文"),
        ),
        migrations.AddIndex(
            model_name="upstreammessage",
            index=models.Index(fields=["case_key", "kind"], name="upstream_case_kind"),
        ),
        migrations.CreateModel(
            name="TagIndicator",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("profile", models.CharField(max_length=32, verbose_name="对接规范")),
                ("code", models.CharField(max_length=32, verbose_name="国家评价指标编码")),
                (
                    "tag",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="indicators",
                        to="evaluations.tag",
                        verbose_name="评价标签",
                    ),
                ),
            ],
            options={
                "verbose_name": "评价指标编码",
                "verbose_name_plural": "评价指标编码",
                "ordering": ["profile", "tag__code"],
                "constraints": [models.UniqueConstraint(fields=("tag", "profile"), name="tag_indicator_per_profile")],
            },
        ),
    ]
