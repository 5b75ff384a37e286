# Reserved in the migration chain for issue 14 point 5 (public version of a reply); its operations are written by hand.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("workorders", "0003_contact_and_voided_label")]

    operations: list = []
