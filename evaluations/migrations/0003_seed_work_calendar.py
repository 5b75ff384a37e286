"""Seed the working-day calendar with the official holidays and adjusted workdays 2004-2026."""

from django.db import migrations

from evaluations.calendar_source import official_deviations


def seed(apps, schema_editor):
    WorkCalendar = apps.get_model("evaluations", "WorkCalendar")
    WorkCalendar.objects.bulk_create(
        [WorkCalendar(date=day, kind=kind, name=name) for day, kind, name in official_deviations(2004, 2026)],
        ignore_conflicts=True,
    )


def unseed(apps, schema_editor):
    apps.get_model("evaluations", "WorkCalendar").objects.filter(date__year__lte=2026).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0002_seed_tianjin_tags")]
    operations = [migrations.RunPython(seed, unseed)]
