# Reserved in the migration chain for issue 14 point 1 (idempotency keys per sender); its operations are written by hand.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0015_late_uploads")]

    operations: list = []
