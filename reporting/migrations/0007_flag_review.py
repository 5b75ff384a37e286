# Issue 12, point 3 (written by hand): the rollups count held and ruled flagged ratings.
from django.db import migrations, models

MODELS = ("dailyrollup", "departmentdaily", "departmentmonthly")


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0006_on_time_label"),
    ]

    operations = [
        operation
        for model in MODELS
        for operation in (
            migrations.AddField(
                model_name=model,
                name="held",
                field=models.IntegerField(db_default=0, default=0, verbose_name="待核查暂缓计入"),
            ),
            migrations.AddField(
                model_name=model,
                name="ruled",
                field=models.IntegerField(db_default=0, default=0, verbose_name="认定刷评或恶意评价"),
            ),
        )
    ]
