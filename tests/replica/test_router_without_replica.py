"""The router without DATABASE_REPLICA_URL (the normal suite): every read and write stays on default."""

from config import db_router
from config.db_router import ReplicaRouter, replica_reads
from reporting.models import DepartmentMonthly


def test_without_a_replica_alias_reporting_reads_stay_on_default(monkeypatch):
    monkeypatch.setattr(db_router, "replica_configured", lambda: False)
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_read(DepartmentMonthly) is None  # Django's default alias
        assert router.db_for_write(DepartmentMonthly) == "default"


def test_with_a_replica_alias_only_reads_inside_replica_reads_go_there(monkeypatch):
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    router = ReplicaRouter()
    assert router.db_for_read(DepartmentMonthly) is None
    with replica_reads():
        assert router.db_for_read(DepartmentMonthly) == "replica"
        assert router.db_for_write(DepartmentMonthly) == "default"
    assert router.db_for_read(DepartmentMonthly) is None  # the switch is reset on the way out
    assert router.allow_migrate("replica", "reporting") is False
    assert router.allow_migrate("default", "reporting") is True
