"""``manage.py policy set|show``, and a preset as the one source of every rule (DESIGN §5)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from evaluations.models import PRESETS, RULE_FIELDS, InvalidOutcome, OnTimeout, Policy, Preset
from evaluations.services.policies import policy_set


def show(code: str) -> dict:
    out = StringIO()
    call_command("policy", "show", code, stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


def set_preset(code: str, preset: str, *args: str) -> dict:
    out = StringIO()
    call_command("policy", "set", code, preset, *args, stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


def test_model_defaults_are_the_national_preset():
    """No number lives twice: an unsaved Policy() holds exactly the national preset's rules."""
    policy = Policy()
    assert {name: getattr(policy, name) for name in RULE_FIELDS} == PRESETS[Preset.NATIONAL]
    for preset, rules in PRESETS.items():
        assert set(rules) == set(RULE_FIELDS), preset


def test_show_names_every_rule_of_the_tianjin_preset(regions):
    """Tianjin art. 16 (24 h, 5 days, 未评), 20 (1/1, 1/5, —/15), 21 (1 day, 未评), 23 (points, weights)."""
    rules = set_preset("360700000000", "tianjin")
    assert rules == {
        "region": "360700000000",
        "preset": "tianjin",
        "inherited_from": None,
        "rating_window_days": 5,
        "on_timeout": "unevaluated",
        "reminder_after_hours": 24,
        "bad_needs_reason": True,
        "appeal_window_days": 1,
        "appeal_review_days": 3,
        "invalid_outcome": "unevaluated",
        "max_extensions": 0,
        "categories": {
            "simple": {"contact_days": 1, "finish_days": 1},
            "general": {"contact_days": 1, "finish_days": 5},
            "complex": {"contact_days": None, "finish_days": 15},
        },
        "points": {"5": 10, "4": 10, "3": 8, "2": 5, "1": 0},
        "weights": {"quality": 30, "active_rate": 15, "rectification_rate": 30, "revisit_satisfaction": 25},
        "ranking": {
            "min_sample": 10,
            "low_rank_bottom": 3,
            "low_rank_periods": 3,
            "revisit_sample_percent": 5.0,
        },
        "overrides": [],
    }
    # A district without a policy of its own follows the city's, and says so.
    below = show("360702000000")
    assert (below["preset"], below["inherited_from"], below["appeal_window_days"]) == (
        "tianjin",
        "360700000000",
        1,
    )


def test_switching_a_region_replaces_every_rule_and_drops_overrides(regions):
    """Ganzhou → Tianjin: the appeal window, the outcome and the extension limit all follow (art. 21)."""
    policy = policy_set(region=regions["city"], preset=Preset.GANZHOU)
    policy.window_days = 7
    policy.save()
    assert show("360700000000")["overrides"] == ["window_days"]

    kept = set_preset("360700000000", "tianjin", "--keep-overrides")
    assert (kept["rating_window_days"], kept["overrides"]) == (7, ["window_days"])
    assert (kept["appeal_window_days"], kept["invalid_outcome"], kept["max_extensions"]) == (
        1,
        "unevaluated",
        0,
    )

    dropped = set_preset("360700000000", "tianjin")
    assert (dropped["rating_window_days"], dropped["overrides"]) == (5, [])
    assert Policy.objects.get(region=regions["city"]).on_timeout == OnTimeout.UNEVALUATED


@pytest.mark.parametrize(
    ("preset", "on_timeout", "invalid_outcome", "max_extensions", "appeal_days"),
    [
        ("national", "unevaluated", "not_adopted", 2, 3),  # 51号 三(五): not adopted
        ("ganzhou", "default_satisfied", "not_adopted", 2, 3),  # Ganzhou art. 16, 17, 19
        ("qingdao", "unevaluated", "untrue", 0, 3),  # Qingdao art. 13: 不属实
    ],
)
def test_each_preset_sets_its_own_column(
    regions, preset, on_timeout, invalid_outcome, max_extensions, appeal_days
):
    rules = set_preset("360700000000", preset)
    assert (rules["on_timeout"], rules["invalid_outcome"]) == (on_timeout, invalid_outcome)
    assert (rules["max_extensions"], rules["appeal_window_days"]) == (max_extensions, appeal_days)
    assert InvalidOutcome(rules["invalid_outcome"]).label


def test_unknown_region_or_preset_is_a_chinese_error_with_exit_code_2(regions):
    for args in (("show", "999999999999"), ("set", "360700000000", "beijing")):
        with pytest.raises(CommandError) as caught:
            call_command("policy", *args)
        assert caught.value.returncode == 2
        assert "区划代码" in str(caught.value) or "预设" in str(caught.value)
