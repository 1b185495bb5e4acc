"""workflows.clock: every time a person reads is WIB (Asia/Jakarta), with its offset."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from workflows import clock

# 15:15:03 UTC on 4 December is 22:15:03 in Jakarta.
UTC_AFTERNOON = dt.datetime(2026, 12, 4, 15, 15, 3, tzinfo=dt.UTC)


def test_the_zone_is_jakarta_seven_hours_ahead_of_utc_all_year():
    for month in (1, 7):  # no daylight saving: the same offset in January and July
        assert dt.datetime(2026, month, 1, tzinfo=clock.WIB).utcoffset() == dt.timedelta(hours=7)
    assert str(clock.WIB) == "Asia/Jakarta"  # the tz database's zone, not a stand-in


def test_shown_reads_as_a_person_writes_it():
    assert clock.shown(UTC_AFTERNOON) == "4 Dec 2026, 22:15 WIB"
    assert clock.shown(UTC_AFTERNOON, seconds=True) == "4 Dec 2026, 22:15:03 WIB"


def test_iso_carries_the_plus_seven_offset():
    assert clock.iso(UTC_AFTERNOON) == "2026-12-04T22:15:03+07:00"
    assert dt.datetime.fromisoformat(clock.iso(UTC_AFTERNOON)) == UTC_AFTERNOON  # the same moment


@pytest.mark.parametrize(
    "moment",
    [
        "2026-12-04T15:15:03+00:00",  # what CallRecord.started_at holds
        "2026-12-04T15:15:03",  # naive: taken as UTC
        dt.datetime(2026, 12, 4, 15, 15, 3),  # naive datetime: UTC too
        dt.datetime(2026, 12, 4, 16, 15, 3, tzinfo=dt.timezone(dt.timedelta(hours=1))),  # any other zone
    ],
)
def test_strings_naive_and_other_zones_all_land_in_wib(moment):
    assert clock.iso(moment) == "2026-12-04T22:15:03+07:00"


def test_late_utc_evening_is_the_next_day_in_jakarta():
    late = dt.datetime(2026, 12, 31, 20, 30, tzinfo=dt.UTC)
    assert clock.shown(late) == "1 Jan 2027, 03:30 WIB"
    assert clock.file_stamp(late) == "20270101-0330"


def test_now_is_in_wib():
    assert clock.now().utcoffset() == dt.timedelta(hours=7)
    assert re.fullmatch(r"\d{8}-\d{4}", clock.file_stamp())


def test_a_calendar_date_is_written_the_same_way():
    assert clock.shown_date(dt.date(1985, 5, 12)) == "12 May 1985"
    assert clock.shown_date("1945-08-07") == "7 Aug 1945"


def test_an_unreadable_moment_is_none_not_an_error():
    assert clock.shown_or_none(None) is None
    assert clock.shown_or_none("yesterday") is None
    assert clock.shown_or_none("2026-12-04T15:15:03+00:00") == "4 Dec 2026, 22:15 WIB"
