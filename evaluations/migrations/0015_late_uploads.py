# Reserved in the migration chain for one piece of issue 12; its operations are written by hand.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0014_intake_rules")]

    operations: list = []
