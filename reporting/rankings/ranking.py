"""Rankings of one level for one period, with the previous period's rank and the "consecutively low" flag.

Units with fewer ratings than the policy's minimum sample are listed apart and not ranked. Equal
composites share a rank (1, 2, 2, 4). "Consecutively low" (Tianjin art. 26; Qingdao art. 15) means
ranked in the bottom N in each of the last K periods, this one included.
"""

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from ..periods import Period
from ..scoring import Figures, Scale, Totals, composite, figures
from .units import LEVELS, Scope, Unit, describe, totals_by_unit_over, unit_keys


@dataclass
class Row:
    """One unit of a ranking. Its composite is computed when ranking; every other figure (rates with
    their numerators and denominators) only when read, so a page of 20 rows does not pay for 2 000."""

    unit: Unit
    totals: Totals
    scale: Scale
    composite: float | None
    rank: int | None = None
    previous_rank: int | None = None
    low: bool = False

    @cached_property
    def figures(self) -> Figures:
        return figures(self.totals, self.scale)

    @property
    def sample(self) -> int:
        return self.totals.rated

    @property
    def held(self) -> int:
        """Burst-flagged ratings not yet reviewed, left out of this row's figures for now."""
        return self.totals.held

    @property
    def code(self) -> str:
        return self.unit.code

    @property
    def name(self) -> str:
        return self.unit.name

    @property
    def movement(self) -> int | None:
        """Places gained since the previous period (positive = up)."""
        if self.rank is None or self.previous_rank is None:
            return None
        return self.previous_rank - self.rank


@dataclass
class Ranking:
    level: str
    period: Period
    scale: Scale
    region_level: int | None = None
    rows: list[Row] = field(default_factory=list)
    unranked: list[Row] = field(default_factory=list)

    @property
    def level_label(self) -> str:
        return str(LEVELS[self.level])


def _ranks(units: dict, scale: Scale, composites: dict | None = None) -> dict[object, int]:
    """Competition ranks by composite (highest first) of the units with the minimum sample."""
    minimum = max(scale.min_sample, 1)
    if composites is None:
        composites = {key: composite(totals, scale) for key, totals in units.items()}
    eligible = [(composites[key], key) for key, totals in units.items() if totals.rated >= minimum]
    eligible.sort(key=lambda item: -item[0])
    ranks: dict[object, int] = {}
    for position, (score, key) in enumerate(eligible, start=1):
        previous = eligible[position - 2] if position > 1 else None
        ranks[key] = ranks[previous[1]] if previous and previous[0] == score else position
    return ranks


def _bottom(ranks: dict[object, int], bottom: int) -> set:
    """Units in the bottom N: fewer than N ranked below them (so a tie at the bottom flags them all)."""
    if len(ranks) <= bottom:
        return set()  # too few ranked to call anyone "low"
    ordered = sorted(ranks.values())
    return {key for key, rank in ranks.items() if len(ordered) - bisect_right(ordered, rank) < bottom}


def build_ranking(
    level: str, period: Period, scope: Scope, scale: Scale, *, region_level: int | None = None
) -> Ranking:
    if level == "region" and region_level is None:
        region_level = min(scope.depth + 1, 5)
    periods = [period]
    for _ in range(max(scale.low_rank_periods, 2) - 1):
        periods.append(periods[-1].previous())
    units, *earlier = totals_by_unit_over(level, periods, scope, region_level=region_level)
    composites = {key: composite(totals, scale) for key, totals in units.items()}
    ranks = _ranks(units, scale, composites)
    history = [ranks, *(_ranks(past, scale) for past in earlier)]
    low = set(_bottom(ranks, scale.low_rank_bottom))
    for past in history[1 : scale.low_rank_periods]:
        low &= _bottom(past, scale.low_rank_bottom)

    names = describe(level, unit_keys(level, period, scope, region_level=region_level))
    ranking = Ranking(level=level, period=period, scale=scale, region_level=region_level)
    previous, ranked, unranked = history[1], ranking.rows, ranking.unranked
    for key, totals in units.items():
        unit = names.get(key) or Unit(key, str(key), str(key))
        rank = ranks.get(key)
        row = Row(unit, totals, scale, composites[key], rank, previous.get(key), key in low)
        (ranked if rank is not None else unranked).append(row)
    ranked.sort(key=lambda row: (row.rank, row.code))
    unranked.sort(key=lambda row: (-row.sample, row.code))
    return ranking
