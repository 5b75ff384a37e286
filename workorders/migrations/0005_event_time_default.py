# An event's time defaults to now instead of auto_now_add, so that an imported history can be written
# with the times it happened in one INSERT (events are append-only for the app role). No column change.
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("workorders", "0004_public_reply")]

    operations = [
        migrations.AlterField(
            model_name="workorderevent",
            name="at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, editable=False, verbose_name="时间"
            ),
        ),
    ]
