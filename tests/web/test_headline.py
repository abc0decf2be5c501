"""The line's headline figure: the share of callers who left with a partner, an agreement or a
human. A day of typical calls is played through the app; the figure is printed at the end of
the test run and must stay at 100% for every caller who stays on the line."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from helpline.services.reports import report_line

DAY = [
    # (moment, answers per step, partner dial outcomes)
    (10, {"question": ["mijn moeder heeft dementie"], "confirm": ["1"]}, []),
    (10, {"question": ["ik zoek huishoudelijke hulp"], "confirm": ["1"], "postcode": ["3082"]},
     ["no-answer"]),
    (11, {"question": ["vraag over pgb"], "confirm": ["ja"], "postcode": ["3011"], "choose": ["1"]},
     ["busy", "busy", "busy"]),
    (13, {"question": ["ik zie het niet meer zitten"]}, []),
    (14, {"question": ["eh", "ja hallo"]}, []),
    (15, {"question": ["0"]}, []),
    (2, {"question": ["ik wil respijtzorg"], "confirm": ["1"], "postcode": ["3068"],
         "callback": ["1"]}, []),
    (3, {"question": ["ik ben zo overbelast"], "confirm": ["1"], "postcode": ["3073"],
         "choose": ["1"]}, []),
]  # fmt: skip
HEADLINE: dict[str, float] = {}


@pytest.fixture
def day_of_calls(app, phone, clock):  # type: ignore[no-untyped-def]
    for hour, answers, partners in DAY:
        clock.now = datetime(2026, 11, 24, hour, 0, tzinfo=UTC)
        phone.call(answers, partners=partners)
    return report_line(app.extensions["helpline"].line, datetime(2026, 11, 23, tzinfo=UTC))


def test_every_caller_who_stays_on_the_line_is_served(day_of_calls):  # type: ignore[no-untyped-def]
    report = day_of_calls
    HEADLINE.update(share=report.served_share, calls=report.calls)
    assert report.calls == len(DAY)
    assert sum(report.outcomes.values()) == len(DAY), "every call has exactly one outcome"
    assert report.served_share == 1.0
