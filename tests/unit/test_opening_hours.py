"""When a partner can be reached: weekly hours in Rotterdam's local time, public holidays,
dated exceptions, 24/7 lines, and the next opening a caller is offered a callback for.

Moments are given in UTC, the way Twilio and the server clock hand them to us, so that the
tests also show the conversion to Europe/Amsterdam (CET in winter, CEST in summer).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from helpline.catalog.partners import to_interval
from helpline.domain.directory import AMSTERDAM, OpeningHours, Partner
from helpline.domain.taxonomy import CallerType, Category, PartnerType

CLOSED: tuple[tuple[int, int], ...] = ()


def _day(*ranges: str) -> tuple[tuple[int, int], ...]:
    return tuple(to_interval(r) for r in ranges)


def _office_hours(
    exceptions: dict[date, tuple[tuple[int, int], ...]] | None = None,
    open_on_public_holidays: bool = False,
) -> OpeningHours:
    """Monday to Friday 09:00-17:00 local time, closed at the weekend."""
    weekday = _day("09:00-17:00")
    return OpeningHours(
        weekly=(weekday, weekday, weekday, weekday, weekday, CLOSED, CLOSED),
        open_on_public_holidays=open_on_public_holidays,
        exceptions=exceptions or {},
    )


def _utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def _local(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


def _partner(hours: OpeningHours, paused: bool = False) -> Partner:
    return Partner(
        id="welzijn-voorbeeld",
        name="Welzijn Voorbeeld",
        type=PartnerType.WELFARE,
        categories=frozenset({Category.EMOTIONAL_SUPPORT}),
        caller_types=frozenset(CallerType),
        areas=frozenset(),
        phones=("+31102001101",),
        hours=hours,
        paused=paused,
    )


# Weekly hours, read in local time


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (_utc(2026, 11, 24, 7, 59), False),  # Tuesday 08:59 CET
        (_utc(2026, 11, 24, 8, 0), True),  # 09:00 CET: opening minute
        (_utc(2026, 11, 24, 15, 59), True),  # 16:59 CET
        (_utc(2026, 11, 24, 16, 0), False),  # 17:00 CET: the end is exclusive
        (_utc(2026, 11, 28, 11, 0), False),  # Saturday noon
        (_utc(2026, 11, 29, 11, 0), False),  # Sunday noon
    ],
)
def test_office_hours_partner_is_open_on_weekdays_from_nine_to_five_local_time(moment, expected):
    assert _office_hours().is_open(moment) is expected


def test_partner_with_a_lunch_break_is_closed_during_lunch():
    split = _day("09:00-12:00", "13:00-17:00")
    hours = OpeningHours(weekly=(split,) * 5 + (CLOSED, CLOSED))

    assert hours.is_open(_local(2026, 11, 24, 11, 59))
    assert not hours.is_open(_local(2026, 11, 24, 12, 30))
    assert hours.is_open(_local(2026, 11, 24, 13, 0))


# Summer time: the same UTC moment is a different local hour


def test_half_past_seven_utc_is_before_opening_in_winter_and_after_it_in_summer():
    # Friday 27 March 2026 is CET (UTC+1); Monday 30 March is CEST (UTC+2).
    assert not _office_hours().is_open(_utc(2026, 3, 27, 7, 30))  # 08:30 local
    assert _office_hours().is_open(_utc(2026, 3, 30, 7, 30))  # 09:30 local


def test_half_past_three_utc_is_before_closing_in_winter_and_after_it_in_summer():
    assert _office_hours().is_open(_utc(2026, 3, 27, 15, 30))  # 16:30 CET
    assert not _office_hours().is_open(_utc(2026, 3, 30, 15, 30))  # 17:30 CEST


def test_partner_opens_an_hour_later_in_utc_after_the_clocks_go_back():
    # Friday 23 October 2026 is CEST (UTC+2); Monday 26 October is CET (UTC+1).
    assert _office_hours().is_open(_utc(2026, 10, 23, 7, 30))  # 09:30 CEST
    assert not _office_hours().is_open(_utc(2026, 10, 26, 7, 30))  # 08:30 CET
    assert _office_hours().is_open(_utc(2026, 10, 26, 8, 0))  # 09:00 CET


def test_night_line_closes_at_six_local_time_on_the_night_the_clocks_go_back():
    night = _day("00:00-06:00")
    hours = OpeningHours(weekly=(night,) * 7)

    assert not hours.is_open(_utc(2026, 10, 18, 4, 30))  # 06:30 CEST, a week earlier
    assert hours.is_open(_utc(2026, 10, 25, 0, 30))  # 02:30 CEST, before the change
    assert hours.is_open(_utc(2026, 10, 25, 1, 30))  # 02:30 CET, the repeated hour
    assert hours.is_open(_utc(2026, 10, 25, 4, 30))  # 05:30 CET
    assert not hours.is_open(_utc(2026, 10, 25, 5, 0))  # 06:00 CET


def test_night_line_closes_at_six_local_time_on_the_night_the_clocks_go_forward():
    night = _day("00:00-06:00")
    hours = OpeningHours(weekly=(night,) * 7)

    assert hours.is_open(_utc(2026, 3, 29, 0, 59))  # 01:59 CET
    assert hours.is_open(_utc(2026, 3, 29, 1, 0))  # 03:00 CEST, 02:00-03:00 never happens
    assert not hours.is_open(_utc(2026, 3, 29, 4, 0))  # 06:00 CEST


def test_next_opening_after_the_spring_weekend_is_monday_nine_summer_time():
    friday_evening = _utc(2026, 3, 27, 17, 0)  # 18:00 CET

    opening = _office_hours().next_opening(friday_evening)

    assert opening == _local(2026, 3, 30, 9, 0)
    assert opening == _utc(2026, 3, 30, 7, 0)


def test_next_opening_after_the_autumn_weekend_is_monday_nine_winter_time():
    friday_evening = _utc(2026, 10, 23, 16, 0)  # 18:00 CEST

    opening = _office_hours().next_opening(friday_evening)

    assert opening == _local(2026, 10, 26, 9, 0)
    assert opening == _utc(2026, 10, 26, 8, 0)


# Dutch public holidays


@pytest.mark.parametrize(
    "holiday",
    [
        date(2026, 12, 25),  # Christmas Day, a Friday
        date(2026, 4, 27),  # King's Day, a Monday
        date(2026, 4, 6),  # Easter Monday
    ],
)
def test_office_hours_partner_is_closed_on_a_public_holiday(holiday):
    late_morning = datetime(holiday.year, holiday.month, holiday.day, 11, 0, tzinfo=AMSTERDAM)

    assert not _office_hours().is_open(late_morning)


@pytest.mark.parametrize("holiday", [date(2026, 12, 25), date(2026, 4, 27), date(2026, 4, 6)])
def test_partner_that_opens_on_public_holidays_keeps_its_weekday_hours(holiday):
    late_morning = datetime(holiday.year, holiday.month, holiday.day, 11, 0, tzinfo=AMSTERDAM)

    assert _office_hours(open_on_public_holidays=True).is_open(late_morning)


def test_office_hours_partner_is_open_on_an_ordinary_monday_in_april():
    assert _office_hours().is_open(_local(2026, 4, 20, 11, 0))


# Dated exceptions


def test_shorter_hours_on_christmas_eve_replace_the_weekly_hours():
    hours = _office_hours(exceptions={date(2026, 12, 24): _day("09:00-12:00")})

    assert hours.is_open(_local(2026, 12, 24, 11, 30))
    assert not hours.is_open(_local(2026, 12, 24, 12, 30))
    assert hours.is_open(_local(2026, 12, 17, 12, 30)), "the Thursday before is a normal day"


def test_partner_is_closed_all_day_on_a_date_with_no_hours():
    hours = _office_hours(exceptions={date(2026, 12, 31): ()})

    assert not hours.is_open(_local(2026, 12, 31, 10, 0))
    assert hours.is_open(_local(2026, 12, 30, 10, 0))


def test_dated_hours_open_a_partner_on_a_public_holiday():
    hours = _office_hours(exceptions={date(2026, 12, 26): _day("10:00-14:00")})

    assert hours.is_open(_local(2026, 12, 26, 12, 0))  # Second Day of Christmas


# 24/7 lines


@pytest.mark.parametrize(
    "moment",
    [
        _utc(2026, 11, 29, 2, 0),  # Sunday 03:00 local
        _utc(2026, 12, 25, 23, 30),  # Christmas night
        _utc(2026, 3, 29, 1, 30),  # during the change to summer time
        _utc(2026, 10, 25, 1, 30),  # during the change to winter time
    ],
)
def test_always_open_line_is_open_at_any_moment(moment):
    assert OpeningHours(always=True).is_open(moment)


def test_always_open_line_offers_the_current_moment_as_its_next_opening():
    now = _utc(2026, 11, 29, 2, 0)

    assert OpeningHours(always=True).next_opening(now) == now


# Ranges ending at midnight


def test_evening_range_ending_at_midnight_is_open_until_the_last_minute():
    evening = _day("18:00-24:00")
    hours = OpeningHours(weekly=(evening, CLOSED, CLOSED, CLOSED, CLOSED, CLOSED, CLOSED))

    assert hours.is_open(_local(2026, 11, 23, 23, 59))  # Monday
    assert not hours.is_open(_local(2026, 11, 24, 0, 0))  # Tuesday is closed
    assert hours.next_opening(_local(2026, 11, 23, 17, 0)) == _local(2026, 11, 23, 18, 0)


def test_range_ending_at_midnight_joins_a_range_starting_at_midnight():
    hours = OpeningHours(weekly=(_day("18:00-24:00"), _day("00:00-02:00")) + (CLOSED,) * 5)

    assert hours.is_open(_local(2026, 11, 23, 23, 59))
    assert hours.is_open(_local(2026, 11, 24, 0, 30))
    assert not hours.is_open(_local(2026, 11, 24, 2, 0))


# Next opening, offered to a caller as a callback moment


def test_next_opening_is_now_when_the_partner_is_open():
    now = _local(2026, 11, 24, 11, 0)

    assert _office_hours().next_opening(now) == now


def test_next_opening_early_in_the_morning_is_nine_the_same_day():
    assert _office_hours().next_opening(_local(2026, 11, 24, 7, 0)) == _local(2026, 11, 24, 9, 0)


def test_next_opening_during_lunch_is_the_afternoon_range():
    split = _day("09:00-12:00", "13:00-17:00")
    hours = OpeningHours(weekly=(split,) * 5 + (CLOSED, CLOSED))

    assert hours.next_opening(_local(2026, 11, 24, 12, 15)) == _local(2026, 11, 24, 13, 0)


def test_next_opening_is_the_earliest_range_even_when_ranges_are_listed_out_of_order():
    afternoon_first = _day("13:00-17:00", "09:00-12:00")
    hours = OpeningHours(weekly=(afternoon_first,) * 5 + (CLOSED, CLOSED))

    assert hours.is_open(_local(2026, 11, 24, 10, 0)), "both ranges count for is_open"
    assert hours.next_opening(_local(2026, 11, 24, 7, 0)) == _local(2026, 11, 24, 9, 0)


def test_next_opening_after_friday_closing_is_monday_morning():
    friday_evening = _local(2026, 11, 27, 18, 0)

    assert _office_hours().next_opening(friday_evening) == _local(2026, 11, 30, 9, 0)


def test_next_opening_from_christmas_eve_evening_skips_both_christmas_days_and_sunday():
    hours = _office_hours(exceptions={date(2026, 12, 24): _day("09:00-12:00")})
    thursday_evening = _utc(2026, 12, 24, 18, 0)  # 19:00 local

    assert hours.next_opening(thursday_evening) == _local(2026, 12, 28, 9, 0)


def test_next_opening_skips_a_closed_exception_day():
    hours = _office_hours(exceptions={date(2026, 12, 31): ()})
    wednesday_evening = _local(2026, 12, 30, 18, 0)

    # 31 December is closed by exception, 1 January is New Year's Day.
    assert hours.next_opening(wednesday_evening) == _local(2027, 1, 4, 9, 0)


def test_next_opening_uses_shorter_exception_hours_when_they_come_first():
    hours = _office_hours(exceptions={date(2026, 12, 24): _day("10:00-12:00")})

    assert hours.next_opening(_local(2026, 12, 24, 8, 0)) == _local(2026, 12, 24, 10, 0)


def test_partner_without_any_hours_has_no_next_opening():
    assert OpeningHours().next_opening(_local(2026, 11, 24, 11, 0)) is None


# Partners


def test_partner_is_open_during_its_hours():
    assert _partner(_office_hours()).is_open(_local(2026, 11, 24, 11, 0))


@pytest.mark.parametrize(
    "hours", [OpeningHours(always=True), _office_hours()], ids=["always", "office"]
)
def test_paused_partner_is_never_open(hours):
    paused = _partner(hours, paused=True)

    assert not paused.is_open(_local(2026, 11, 24, 11, 0))
    assert not paused.is_open(_utc(2026, 11, 29, 2, 0))
