# Issue 12, point 6: the evaluator offers a rated case again for its follow-up (追评).
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("devices", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="pendingrating",
            name="assess_number",
            field=models.PositiveSmallIntegerField(
                choices=[(1, "首评"), (2, "追评")], default=1, verbose_name="评价次数"
            ),
        ),
    ]
