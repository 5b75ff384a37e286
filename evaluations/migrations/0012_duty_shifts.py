# Issue 12, point 1: who is on duty at a window (shifts), and the window's lead department.
# Written by hand to match evaluations/models/duty.py and Window.lead_department.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0011_policy_contact_per_category"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="window",
            name="lead_department",
            field=models.ForeignKey(
                blank=True,
                help_text="窗口有多个进驻部门时，无法确定工作人员和事项的窗口评价计入此部门。",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="evaluations.department",
                verbose_name="牵头部门",
            ),
        ),
        migrations.CreateModel(
            name="Shift",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("started_at", models.DateTimeField(verbose_name="签到时间")),
                ("ended_at", models.DateTimeField(blank=True, null=True, verbose_name="签退时间")),
                ("started_device", models.CharField(blank=True, max_length=64, verbose_name="签到设备")),
                ("ended_device", models.CharField(blank=True, max_length=64, verbose_name="签退设备")),
                (
                    "staff",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="shifts",
                        to="evaluations.staff",
                        verbose_name="工作人员",
                    ),
                ),
                (
                    "window",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="shifts",
                        to="evaluations.window",
                        verbose_name="窗口",
                    ),
                ),
                (
                    "started_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="签到操作人",
                    ),
                ),
                (
                    "ended_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="签退操作人",
                    ),
                ),
            ],
            options={
                "verbose_name": "在岗记录",
                "verbose_name_plural": "在岗记录",
                "ordering": ["-started_at"],
                "indexes": [models.Index(fields=["window", "started_at"], name="shift_window_started")],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("ended_at__isnull", True)),
                        fields=("staff",),
                        name="shift_one_open_per_staff",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("ended_at__isnull", True),
                            ("ended_at__gte", models.F("started_at")),
                            _connector="OR",
                        ),
                        name="shift_ends_after_it_starts",
                    ),
                ],
            },
        ),
    ]
