"""From rollup counts to the published figures (DESIGN §5; Tianjin art. 23-24).

Every figure is a ``Ratio`` that keeps its numerator and denominator, so each page can show how it
was computed. The definitions, with the counts of reporting/models/rollups.py:

- rated       = valid ratings of grades 1-5, active or given by default on timeout (g1..g5), of the
                matter or of the staff, first ratings and follow-ups alike
- cases       = cases whose own rating slot (the matter at completion, first rating) is settled:
                rated actively, given a default rating on timeout, or 未评 (timed-out markers and case
                ratings voided "as 未评")
- quality     = mean points of the rated, on the policy's scale (Tianjin 10/10/8/5/0)
- active rate = cases rated actively / cases  (Tianjin art. 23 counts 办件; a default 满意 is a timeout)
- 好评率 / 差评率 = grades 4-5 / grades 1-2 among the rated;  未评率 = 未评 cases / cases
- rectification rate = rectified orders / orders of valid bad reviews (one complaint, one order)
- on-time rectification rate = rectified by the due date / orders of valid bad reviews
- revisit satisfaction = 满意 revisits / rectified orders
- real-name revisit rate = revisited real-name orders / real-name orders (national: 100 %)
- composite = weighted sum of quality (as a share of the top points), active rate, rectification
  rate and revisit satisfaction, on a 0-100 scale, with the policy's weights.

Bad reviews found invalid on appeal never count as ratings: those voided "as 未评" count as 未评,
the rest (不予采纳, 不属实) drop out of every figure and are only shown as "voided". Burst-flagged
ratings the office ruled 刷评 or 恶意评价 likewise drop out and are shown as "ruled"; those not yet
reviewed are left out while held (at most the policy's N working days, evaluations/flags.py) and
shown as "held", so a reader sees how many ratings a figure is still waiting for.
Conventions for empty terms of the composite (``rectification_term``, ``revisit_term``):
- no valid bad review at all (0 orders): rectification and revisit are full marks, nothing was
  left undone; so is the active rate of a unit with ratings but no settled case (window ratings
  without a case);
- valid bad reviews but none rectified: rectification 0 and revisit 0 — a unit cannot earn revisit
  points for orders it never finished (0 of 5 rectified is not "every revisit satisfied");
- other 0/0 figures are shown as "—" and the unit is not ranked.
"""

from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from evaluations.models import Policy

from .models import Measures


@dataclass(frozen=True)
class Ratio:
    num: float
    den: float

    @property
    def value(self) -> float | None:
        return self.num / self.den if self.den else None

    def as_dict(self) -> dict:
        return {"num": self.num, "den": self.den, "value": rounded(self.value, 4)}


def rounded(value: float | None, places: int) -> float | None:
    if value is None:
        return None
    return float(Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


@dataclass
class Totals:
    """Summed rollup counts of one unit (a department, a region, a staff member…) over a period."""

    g1: int = 0
    g2: int = 0
    g3: int = 0
    g4: int = 0
    g5: int = 0
    defaults: int = 0
    unevaluated: int = 0
    voided: int = 0
    orders: int = 0
    rectified: int = 0
    on_time: int = 0
    revisited: int = 0
    revisit_satisfied: int = 0
    realname_orders: int = 0
    realname_revisited: int = 0
    case_active: int = 0
    held: int = 0
    ruled: int = 0

    @classmethod
    def from_row(cls, row: dict) -> "Totals":
        return cls(**{name: int(row.get(name) or 0) for name in Measures.MEASURES})

    def __add__(self, other: "Totals") -> "Totals":
        return Totals(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    def grade(self, number: int) -> int:
        return getattr(self, f"g{number}")

    @property
    def rated(self) -> int:
        return self.g1 + self.g2 + self.g3 + self.g4 + self.g5

    @property
    def cases(self) -> int:
        """Cases whose rating slot is settled: rated actively, by default on timeout, or 未评."""
        return self.case_active + self.defaults + self.unevaluated

    @property
    def good(self) -> int:
        return self.g4 + self.g5

    @property
    def bad(self) -> int:
        return self.g1 + self.g2


@dataclass(frozen=True)
class Scale:
    """The scoring part of a policy, snapshotted (a circular stores it with its numbers)."""

    points: dict[int, int]
    weights: dict[str, int]
    min_sample: int
    low_rank_bottom: int
    low_rank_periods: int

    @classmethod
    def from_policy(cls, policy: Policy) -> "Scale":
        return cls(
            points=policy.grade_points,
            weights={
                "quality": policy.weight_quality,
                "active": policy.weight_active,
                "rectification": policy.weight_rectification,
                "revisit": policy.weight_revisit,
            },
            min_sample=policy.min_sample,
            low_rank_bottom=policy.low_rank_bottom,
            low_rank_periods=policy.low_rank_periods,
        )

    def as_dict(self) -> dict:
        return {
            "points": {str(k): v for k, v in self.points.items()},
            "weights": self.weights,
            "min_sample": self.min_sample,
            "low_rank_bottom": self.low_rank_bottom,
            "low_rank_periods": self.low_rank_periods,
        }

    @cached_property  # read once per unit when thousands are ranked
    def top_points(self) -> int:
        return max(self.points.values()) or 1


@dataclass(frozen=True)
class Figures:
    totals: Totals
    quality: Ratio
    active_rate: Ratio
    rectification_rate: Ratio
    on_time_rate: Ratio
    revisit_satisfaction: Ratio
    realname_revisit_rate: Ratio
    good_rate: Ratio
    bad_rate: Ratio
    unevaluated_rate: Ratio
    composite: float | None

    RATES = (
        "quality", "active_rate", "rectification_rate", "on_time_rate", "revisit_satisfaction",
        "realname_revisit_rate", "good_rate", "bad_rate", "unevaluated_rate",
    )  # fmt: skip

    @property
    def sample(self) -> int:
        return self.totals.rated

    def as_dict(self) -> dict:
        data = {name: getattr(self, name).as_dict() for name in self.RATES}
        return {**data, "composite": self.composite, "sample": self.sample, "totals": vars(self.totals)}


def rectification_term(totals: Totals) -> float:
    """The rectification rate as the composite counts it: full marks with no valid bad review."""
    return totals.rectified / totals.orders if totals.orders else 1.0


def revisit_term(totals: Totals) -> float:
    """Revisit satisfaction as the composite counts it: 0 when bad reviews exist but none was rectified."""
    if totals.rectified:
        return totals.revisit_satisfied / totals.rectified
    return 0.0 if totals.orders else 1.0


def composite(totals: Totals, scale: Scale) -> float | None:
    """The composite alone (rankings of earlier periods need only this), 0..100 with two decimals."""
    if not totals.rated:
        return None
    weights, p, t = scale.weights, scale.points, totals
    rated = t.g1 + t.g2 + t.g3 + t.g4 + t.g5  # written out: rankings score thousands of units
    points = t.g1 * p[1] + t.g2 * p[2] + t.g3 * p[3] + t.g4 * p[4] + t.g5 * p[5]
    cases = t.case_active + t.defaults + t.unevaluated
    active = t.case_active / cases if cases else 1.0
    rectification, revisit = rectification_term(t), revisit_term(t)
    value = (
        weights["quality"] * points / rated / scale.top_points
        + weights["active"] * active
        + weights["rectification"] * rectification
        + weights["revisit"] * revisit
    )
    return round(value, 2)


def figures(totals: Totals, scale: Scale) -> Figures:
    points = sum(totals.grade(g) * scale.points[g] for g in range(1, 6))
    return Figures(
        totals=totals,
        quality=Ratio(points, totals.rated),
        active_rate=Ratio(totals.case_active, totals.cases),
        rectification_rate=Ratio(totals.rectified, totals.orders),
        on_time_rate=Ratio(totals.on_time, totals.orders),
        revisit_satisfaction=Ratio(totals.revisit_satisfied, totals.rectified),
        realname_revisit_rate=Ratio(totals.realname_revisited, totals.realname_orders),
        good_rate=Ratio(totals.good, totals.rated),
        bad_rate=Ratio(totals.bad, totals.rated),
        unevaluated_rate=Ratio(totals.unevaluated, totals.cases),
        composite=composite(totals, scale),
    )
