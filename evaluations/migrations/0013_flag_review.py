# Issue 12, point 3: the review queue of burst-flagged ratings (written by hand).
#
# - Validity gains ``ruled`` (认定刷评或恶意评价);
# - Policy gains the local setting ``flag_hold_days`` (held out of the figures at most N working days);
# - FlagReview keeps the office's one decision per flagged rating, append-only in PostgreSQL itself, as
#   the ratings are (0005): UPDATE and DELETE raise; TRUNCATE (test-database flushes) is not a row event.
import django.db.models.deletion
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import migrations, models

CREATE = """
CREATE OR REPLACE FUNCTION evaluations_flagreview_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'flag review % is append-only: % refused', OLD.id, TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER flagreview_append_only
    BEFORE UPDATE OR DELETE ON evaluations_flagreview
    FOR EACH ROW EXECUTE FUNCTION evaluations_flagreview_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS flagreview_append_only ON evaluations_flagreview;
DROP FUNCTION IF EXISTS evaluations_flagreview_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0012_duty_shifts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="evaluation",
            name="validity",
            field=models.CharField(
                choices=[
                    ("valid", "有效"),
                    ("not_adopted", "不予采纳"),
                    ("unevaluated", "归为“未评”"),
                    ("untrue", "不属实"),
                    ("ruled", "认定刷评或恶意评价"),
                ],
                default="valid",
                max_length=16,
                verbose_name="有效性",
            ),
        ),
        migrations.AddField(
            model_name="policy",
            name="flag_hold_days",
            field=models.PositiveSmallIntegerField(
                default=3,
                help_text="被标记待核查的评价在核查前暂不计入统计，最多这么多个工作日，期满未核查即自动计入；0 为不暂缓。",
                validators=[MaxValueValidator(20)],
                verbose_name="待核查评价暂缓计入（工作日）",
            ),
        ),
        migrations.CreateModel(
            name="FlagReview",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "decision",
                    models.CharField(
                        choices=[("confirmed", "确认有效"), ("ruled", "认定刷评或恶意评价")],
                        max_length=16,
                        verbose_name="核查结论",
                    ),
                ),
                ("reason", models.CharField(blank=True, max_length=200, verbose_name="理由")),
                ("decided_at", models.DateTimeField(db_index=True, verbose_name="核查时间")),
                (
                    "decided_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="核查人",
                    ),
                ),
                (
                    "evaluation",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="flag_review",
                        to="evaluations.evaluation",
                        verbose_name="评价",
                    ),
                ),
            ],
            options={
                "verbose_name": "待核查评价的核查结论",
                "verbose_name_plural": "待核查评价的核查结论",
                "ordering": ["-decided_at"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("decision", "confirmed"), models.Q(("reason", ""), _negated=True), _connector="OR"),
                        name="flag_review_ruling_has_reason",
                    )
                ],
            },
        ),
        migrations.RunSQL(CREATE, DROP),
    ]
