"""Reporting periods: a month (2026-10), a quarter (2026-Q4) or a year (2026)."""

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.days import local_day_bounds

_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})|-Q(?P<quarter>[1-4]))?$")


FIRST_YEAR, LAST_YEAR = 2000, 2100  # what a reporting period may name


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    kind: str  # "month", "quarter" or "year"
    year: int
    number: int = 1  # the month or the quarter; 1 for a year

    @classmethod
    def parse(cls, text: str) -> "Period":
        match = _PATTERN.match((text or "").strip().upper())
        if not match:
            raise PeriodError(_("统计周期格式应为 YYYY-MM、YYYY-Qn 或 YYYY，例如 2026-10、2026-Q4、2026。"))
        year = int(match["year"])
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise PeriodError(
                _("统计年份应在 %(first)d 到 %(last)d 之间。") % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        if match["month"]:
            month = int(match["month"])
            if not 1 <= month <= 12:
                raise PeriodError(_("月份应在 01 到 12 之间。"))
            return cls("month", year, month)
        if match["quarter"]:
            return cls("quarter", year, int(match["quarter"]))
        return cls("year", year)

    @classmethod
    def month_of(cls, day: dt.date) -> "Period":
        return cls("month", day.year, day.month)

    @classmethod
    def last_complete_month(cls) -> "Period":
        """The month before the current local one: what pages, the API and the demo default to."""
        return cls.month_of(timezone.localdate()).previous()

    @classmethod
    def quarter_of(cls, day: dt.date) -> "Period":
        return cls("quarter", day.year, (day.month - 1) // 3 + 1)

    def __str__(self) -> str:
        if self.kind == "month":
            return f"{self.year}-{self.number:02d}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.number}"
        return str(self.year)

    @property
    def label(self) -> str:
        if self.kind == "month":
            return _("%(year)d年%(month)d月") % {"year": self.year, "month": self.number}
        if self.kind == "quarter":
            return _("%(year)d年第%(quarter)d季度") % {"year": self.year, "quarter": self.number}
        return _("%(year)d年") % {"year": self.year}

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The instants [start, end) of the period's local days."""
        return local_day_bounds(self.first, self.last)

    @property
    def first(self) -> dt.date:
        if self.kind == "month":
            return dt.date(self.year, self.number, 1)
        if self.kind == "quarter":
            return dt.date(self.year, 3 * self.number - 2, 1)
        return dt.date(self.year, 1, 1)

    @property
    def last(self) -> dt.date:
        return self.next().first - dt.timedelta(days=1)

    def _shift(self, steps: int) -> "Period":
        if self.kind == "year":
            return Period("year", self.year + steps)
        per_year = 12 if self.kind == "month" else 4
        index = self.year * per_year + self.number - 1 + steps
        return Period(self.kind, index // per_year, index % per_year + 1)

    def previous(self) -> "Period":
        return self._shift(-1)

    def next(self) -> "Period":
        return self._shift(1)

    def months(self) -> list["Period"]:
        month = Period.month_of(self.first)
        result = []
        while month.first <= self.last:
            result.append(month)
            month = month.next()
        return result
