# Reserved in the migration chain for issue 14 point 4 (rulings as rows, hash chain); its operations are written by hand.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0016_client_keys")]

    operations: list = []
