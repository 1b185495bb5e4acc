"""Times as a person in Indonesia reads them: WIB (Asia/Jakarta, UTC+07:00), with the offset.

The one place the app turns a moment into text. Calls are stamped in UTC where they are made
(``CallRecord.started_at``, ISO 8601); everything shown on screen, in the PDF and in exports
goes through here:

- ``shown``: "4 Dec 2026, 22:15 WIB" (or "… 22:15:03 WIB"), for the screen and the PDF;
  in Indonesian "4 Des 2026, 22.15 WIB";
- ``iso``: "2026-12-04T22:15:03+07:00", for CSV and JSON (the same in every language);
- ``shown_date``: "12 May 1985" / "12 Mei 1985", a calendar date (a birth date has no zone);
- ``file_stamp``: "20261204-2215", for a download's file name.

A naive datetime is taken as UTC. What a person reads is in the language of ``words`` (a
``workflows.i18n.Translator``, English by default): Babel's month names for that language,
and its time separator (a dot in Indonesian, as PUEBI writes it).
The zone comes from the system's tz database or the ``tzdata`` package (in the lock file);
should neither be there, a fixed +07:00 is exact: WIB has had no daylight saving since 1964.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date

from workflows.i18n import Translator, translator

try:
    WIB: dt.tzinfo = ZoneInfo("Asia/Jakarta")
except ZoneInfoNotFoundError:  # pragma: no cover - neither /usr/share/zoneinfo nor tzdata installed
    WIB = dt.timezone(dt.timedelta(hours=7), "WIB")

ZONE_NAME = "WIB"
ENGLISH = translator("en")

Moment = dt.datetime | str


def now() -> dt.datetime:
    """The current moment in WIB."""
    return dt.datetime.now(WIB)


def to_wib(moment: Moment) -> dt.datetime:
    """A datetime or an ISO 8601 string, in WIB. Naive means UTC."""
    value = dt.datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(WIB)


def iso(moment: Moment) -> str:
    """ISO 8601 in WIB with its offset, to the second: "2026-12-04T22:15:03+07:00"."""
    return to_wib(moment).isoformat(timespec="seconds")


def _day(value: dt.date, words: Translator) -> str:
    return format_date(value, "d MMM y", locale=words.locale)


def shown(moment: Moment, seconds: bool = False, words: Translator = ENGLISH) -> str:
    """For a person: "4 Dec 2026, 22:15 WIB", or "4 Dec 2026, 22:15:03 WIB" with ``seconds``;
    in Indonesian "4 Des 2026, 22.15 WIB"."""
    value = to_wib(moment)
    clock = f"{value:%H:%M:%S}" if seconds else f"{value:%H:%M}"
    if words.lang == "id":
        clock = clock.replace(":", ".")
    return f"{_day(value.date(), words)}, {clock} {ZONE_NAME}"


def shown_date(day: dt.date | str, words: Translator = ENGLISH) -> str:
    """A calendar date for a person: "12 May 1985" / "12 Mei 1985" (an ISO string is read first)."""
    value = dt.date.fromisoformat(day) if isinstance(day, str) else day
    return _day(value, words)


def shown_or_none(moment: Moment | None, seconds: bool = False, words: Translator = ENGLISH) -> str | None:
    """``shown``, or None for no moment or one that cannot be read."""
    if not moment:
        return None
    try:
        return shown(moment, seconds, words)
    except (TypeError, ValueError):
        return None


def file_stamp(moment: Moment | None = None) -> str:
    """For a file name, in WIB: "20261204-2215" (default now)."""
    return f"{to_wib(moment if moment is not None else now()):%Y%m%d-%H%M}"
