"""Fixtures of the evaluation-rule tests (Tianjin art. 11-17, 追评)."""

import pytest

from evaluations.models import Policy, Preset, ServiceMatter
from evaluations.services.apikeys import apikey_create


@pytest.fixture
def key(db) -> str:
    return apikey_create(by=None, name="网上办事大厅")[1]


@pytest.fixture
def consultation(org) -> ServiceMatter:
    """A 查询咨询 matter of the 章贡区 department (the fixture's make_record uses its code when told)."""
    return ServiceMatter.objects.create(
        code="M-zg-consult",
        name="政策咨询",
        department=org["zhanggong"]["department"],
        consultation_only=True,
    )


@pytest.fixture
def tianjin(regions) -> Policy:
    policy = Policy.from_preset(Preset.TIANJIN, region=regions["city"])
    policy.save()
    return policy
