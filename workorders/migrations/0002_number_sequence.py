"""Readable work-order numbers (CP202611-000123) draw their serial part from one sequence."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("workorders", "0001_initial")]
    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE IF NOT EXISTS workorders_number_seq START 1",
            "DROP SEQUENCE IF EXISTS workorders_number_seq",
        )
    ]
