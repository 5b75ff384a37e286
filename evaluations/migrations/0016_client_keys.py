# Issue 14, point 1: an idempotency key belongs to its sender. Evaluation.client_id is no longer
# unique across senders; ClientKey holds (sender, client_id) -> the rating, append-only.
import django.db.models.deletion
from django.db import migrations, models

CREATE = """
CREATE OR REPLACE FUNCTION evaluations_clientkey_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'client key % is append-only: % refused', OLD.id, TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER clientkey_append_only
    BEFORE UPDATE OR DELETE ON evaluations_clientkey
    FOR EACH ROW EXECUTE FUNCTION evaluations_clientkey_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS clientkey_append_only ON evaluations_clientkey;
DROP FUNCTION IF EXISTS evaluations_clientkey_append_only();
"""

# The ratings written before keep replaying for their most likely sender, whatever the body (an empty
# digest), as they did: the system's imports and demo data, a device by its serial, a citizen page by its
# case or window, else the API key that pushed the case (the best guess: the rater's key is not stored).
CARRY_OVER = """
INSERT INTO evaluations_clientkey (sender_kind, sender_id, client_id, body_digest, evaluation_id, created_at)
SELECT sender.kind, sender.id, e.client_id, '', e.id, e.submitted_at
FROM evaluations_evaluation e
LEFT JOIN evaluations_servicerecord r ON r.id = e.record_id
CROSS JOIN LATERAL (
    SELECT * FROM (VALUES
        (1, e.client_id LIKE 'demo-%' OR e.client_id LIKE 'import-%', 'system', ''),
        (2, e.device_serial <> '', 'device', e.device_serial),
        (3, e.client_id LIKE 'web-%' AND e.record_id IS NOT NULL, 'case', e.record_id::text),
        (4, e.client_id LIKE 'web-%' AND e.window_id IS NOT NULL, 'window', e.window_id::text),
        (5, r.source_id IS NOT NULL, 'api_key', r.source_id::text),
        (6, true, 'system', '')
    ) AS rule (position, applies, kind, id)
    WHERE rule.applies ORDER BY rule.position LIMIT 1
) AS sender
WHERE e.client_id IS NOT NULL;
"""


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0015_late_uploads")]

    operations = [
        migrations.AlterField(
            model_name="evaluation",
            name="client_id",
            field=models.CharField(blank=True, max_length=64, null=True, verbose_name="客户端编号"),
        ),
        migrations.CreateModel(
            name="ClientKey",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "sender_kind",
                    models.CharField(
                        choices=[
                            ("api_key", "接口密钥"),
                            ("device", "评价设备"),
                            ("case", "办件评价链接"),
                            ("window", "窗口二维码"),
                            ("user", "录入人员"),
                            ("system", "系统（导入、演示数据）"),
                        ],
                        max_length=16,
                        verbose_name="提交方类型",
                    ),
                ),
                ("sender_id", models.CharField(max_length=64, verbose_name="提交方")),
                ("client_id", models.CharField(max_length=64, verbose_name="客户端编号")),
                ("body_digest", models.CharField(blank=True, max_length=64, verbose_name="内容摘要")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="提交时间")),
                (
                    "evaluation",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="client_key",
                        to="evaluations.evaluation",
                        verbose_name="评价",
                    ),
                ),
            ],
            options={
                "verbose_name": "客户端编号",
                "verbose_name_plural": "客户端编号",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("sender_kind", "sender_id", "client_id"), name="client_key_once_per_sender"
                    )
                ],
            },
        ),
        migrations.RunSQL(CARRY_OVER, migrations.RunSQL.noop),
        migrations.RunSQL(CREATE, DROP),
    ]
