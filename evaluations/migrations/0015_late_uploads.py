# Issue 12, point 7: a device's offline ratings are judged by rated_at and accepted late for a few
# working days, marked 补传 (Evaluation.late_upload); the marker is append-only like the rated columns.
import django.core.validators
from django.db import migrations, models

# A trigger of its own beside 0005's (whose column list other changes may extend): a rating's 补传
# marker is set at INSERT and never changed.
CREATE = """
CREATE OR REPLACE FUNCTION evaluations_evaluation_late_upload_fixed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.late_upload IS DISTINCT FROM NEW.late_upload THEN
        RAISE EXCEPTION 'evaluation % is append-only: late_upload cannot be changed', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER evaluation_late_upload_fixed
    BEFORE UPDATE OF late_upload ON evaluations_evaluation
    FOR EACH ROW EXECUTE FUNCTION evaluations_evaluation_late_upload_fixed();
"""

DROP = """
DROP TRIGGER IF EXISTS evaluation_late_upload_fixed ON evaluations_evaluation;
DROP FUNCTION IF EXISTS evaluations_evaluation_late_upload_fixed();
"""


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0014_intake_rules")]

    operations = [
        migrations.AddField(
            model_name="evaluation",
            name="late_upload",
            field=models.BooleanField(default=False, db_default=False, verbose_name="补传"),
        ),
        migrations.AddField(
            model_name="policy",
            name="late_upload_days",
            field=models.PositiveSmallIntegerField(
                default=3,
                help_text=(
                    "评价设备离线保存的评价，在评价后多少个工作日内上传仍受理（记为补传）；"
                    "评价期限按评价时间判断。0 为只受理当天上传。"
                ),
                validators=[django.core.validators.MaxValueValidator(10)],
                verbose_name="离线评价补传期限（工作日）",
            ),
        ),
        migrations.RunSQL(CREATE, DROP),
    ]
