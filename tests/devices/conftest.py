import pytest

from evaluations.models import Policy, Preset


@pytest.fixture
def tianjin(regions) -> Policy:
    """Tianjin's rules for the city (late uploads judged by its working days)."""
    policy = Policy.from_preset(Preset.TIANJIN, region=regions["city"])
    policy.save()
    return policy
