"""Circulars made before drafts existed (migration 0009) get their state; a migration of its own, because the
UPDATE of a foreign key leaves deferred checks pending, and PostgreSQL then refuses the ALTER TABLEs that
Django runs at the end of a schema migration."""

from django.db import migrations

# Circulars made before drafts existed were frozen when generated (by their generator). Of a month published
# more than once, the newest version stays public and the older ones become withdrawn, replaced by it (from
# now on a month has one public version at a time). The trigger of 0003 protects none of these columns.
EXISTING = """
UPDATE reporting_circular
   SET state = CASE WHEN published_at IS NULL THEN 'frozen' ELSE 'published' END,
       frozen_at = created_at, frozen_by_id = created_by_id;
UPDATE reporting_circular AS old
   SET state = 'withdrawn', withdrawn_at = newest.published_at,
       withdraw_reason = '已由第 ' || newest.version || ' 版替代'
  FROM (SELECT DISTINCT ON (region_id, period) id, region_id, period, version, published_at
          FROM reporting_circular WHERE published_at IS NOT NULL
         ORDER BY region_id, period, version DESC) AS newest
 WHERE old.region_id = newest.region_id AND old.period = newest.period
   AND old.published_at IS NOT NULL AND old.id <> newest.id;
"""


class Migration(migrations.Migration):
    dependencies = [("reporting", "0009_circular_drafts")]
    operations = [migrations.RunSQL(EXISTING, migrations.RunSQL.noop)]
