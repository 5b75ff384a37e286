# Reserved in the migration chain for issue 14 point 5 (public version of a reply); written by hand.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workorders", "0003_contact_and_voided_label"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="workorder",
            name="public_reply",
            field=models.TextField(blank=True, verbose_name="公开答复"),
        ),
        migrations.AddField(
            model_name="workorder",
            name="public_reply_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="公开答复审定时间"),
        ),
        migrations.AddField(
            model_name="workorder",
            name="public_reply_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="公开答复审定人",
            ),
        ),
    ]
