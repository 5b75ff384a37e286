# Issue 12, points 4-6 (Tianjin art. 12-15, follow-up ratings): a case's own consultation flag.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0013_flag_review")]

    operations = [
        migrations.AddField(
            model_name="servicerecord",
            name="consultation",
            field=models.BooleanField(
                default=False,
                help_text="查询咨询类业务网上办结的不评价，在大厅办结的只评价窗口人员服务。",
                verbose_name="咨询类业务",
            ),
        ),
    ]
