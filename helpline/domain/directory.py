"""The partner directory: who serves what, where, and when they can be reached."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from helpline.domain.taxonomy import CallerType, Category, PartnerType

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
Interval = tuple[int, int]  # minutes since local midnight, end exclusive; 24:00 is 1440
_LOOKAHEAD_DAYS = 21


@lru_cache(maxsize=64)
def _dutch_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("NL", years=year))


def is_public_holiday(day: date) -> bool:
    return day in _dutch_holidays(day.year)


@dataclass(frozen=True, slots=True)
class OpeningHours:
    """Weekly hours in Europe/Amsterdam, Dutch public holidays, and dated exceptions."""

    weekly: tuple[tuple[Interval, ...], ...] = ((),) * 7  # Monday first
    always: bool = False
    open_on_public_holidays: bool = False
    exceptions: Mapping[date, tuple[Interval, ...]] = field(default_factory=dict)

    def intervals_on(self, day: date) -> tuple[Interval, ...]:
        if day in self.exceptions:
            return self.exceptions[day]
        if self.always:
            return ((0, 1440),)
        if is_public_holiday(day) and not self.open_on_public_holidays:
            return ()
        return self.weekly[day.weekday()]

    def is_open(self, at: datetime) -> bool:
        local = at.astimezone(AMSTERDAM)
        minute = local.hour * 60 + local.minute
        return any(start <= minute < end for start, end in self.intervals_on(local.date()))

    def next_opening(self, after: datetime) -> datetime | None:
        """The first moment at or after `after` when the partner is open (None: not in 3 weeks)."""
        if self.is_open(after):
            return after
        local_day = after.astimezone(AMSTERDAM).date()
        for offset in range(_LOOKAHEAD_DAYS):
            day = local_day + timedelta(days=offset)
            for start, _ in sorted(self.intervals_on(day)):
                opening = _local_moment(day, start)
                if opening > after:
                    return opening
        return None


def _local_moment(day: date, minute: int) -> datetime:
    if minute >= 1440:
        return _local_moment(day + timedelta(days=1), minute - 1440)
    return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=AMSTERDAM)


@dataclass(frozen=True, slots=True)
class Partner:
    id: str
    name: str
    type: PartnerType
    categories: frozenset[Category]
    caller_types: frozenset[CallerType]
    areas: frozenset[str]  # empty: the whole city
    phones: tuple[str, ...]
    hours: OpeningHours
    languages: tuple[str, ...] = ("nl",)
    description_nl: str = ""
    description_en: str = ""
    paused: bool = False
    example_data: bool = True

    @property
    def is_citywide(self) -> bool:
        return not self.areas

    @property
    def phone(self) -> str:
        return self.phones[0]

    def serves_area(self, area: str | None) -> bool:
        return self.is_citywide or (area is not None and area in self.areas)

    def is_open(self, at: datetime) -> bool:
        return not self.paused and self.hours.is_open(at)


@dataclass(frozen=True, slots=True)
class Directory:
    partners: Mapping[str, Partner]

    @classmethod
    def of(cls, partners: Iterable[Partner]) -> Directory:
        return cls({p.id: p for p in sorted(partners, key=lambda p: p.id)})

    def get(self, partner_id: str) -> Partner | None:
        return self.partners.get(partner_id)

    def __getitem__(self, partner_id: str) -> Partner:
        return self.partners[partner_id]

    def __contains__(self, partner_id: object) -> bool:
        return partner_id in self.partners

    def __iter__(self) -> Iterator[Partner]:
        return iter(self.partners.values())

    def __len__(self) -> int:
        return len(self.partners)

    def of_type(self, partner_type: PartnerType) -> list[Partner]:
        return [p for p in self.partners.values() if p.type is partner_type]
