# Device nonces move from the Redis cache to PostgreSQL (issue 14, point 3; devices/nonces.py): an
# UNLOGGED table, not a model, claimed with one INSERT ... ON CONFLICT per signed request.
from django.db import migrations

from devices.nonces import CREATE_SQL, DROP_SQL


class Migration(migrations.Migration):
    dependencies = [("devices", "0002_issue12_6_pending_follow_up")]

    operations = [migrations.RunSQL(CREATE_SQL, DROP_SQL)]
