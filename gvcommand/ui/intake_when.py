"""When an incident happened, as an officer types it in the intake (Vietnam time): minutes
ago, a time of day, or a day and a time; refused in the officer's words when it is not
understood, still to come, or too long ago."""

from __future__ import annotations

import datetime as dt
import functools
import re

from PySide6.QtCore import QCoreApplication

from ..geo.editions import VIETNAM_TZ

_CLOCK = re.compile(r"^(\d{1,2})[:h.](\d{2})(?:\s+(\d{1,2})/(\d{1,2})(?:/(\d{4}))?)?$")
_DATE_FIRST = re.compile(r"^(\d{1,2})/(\d{1,2})(?:/(\d{4}))?\s+(\d{1,2})[:h.](\d{2})$")
_SKEW = dt.timedelta(minutes=1)
MAX_PAST_DAYS = 60  # older reports are entered with the date, and still not older than this


def parse_happened(text: str, now_us: int) -> int:
    """When an incident happened, as an officer types it: minutes ago ("40"), a time of day
    ("21:40", "21h40": today, or yesterday if that is still to come), or a day and a time
    ("27/11 21:40", "21:40 27/11", with an optional year). Vietnam time. ValueError (in the
    officer's words) for anything else, a time to come, or one too long ago."""
    text = " ".join(text.strip().split())
    now = dt.datetime.fromtimestamp(now_us / 1e6, VIETNAM_TZ)
    tr = functools.partial(QCoreApplication.translate, "IncidentIntake")
    clock, date_first = _CLOCK.match(text), _DATE_FIRST.match(text)
    try:
        if text.isdigit():
            when = now - dt.timedelta(minutes=int(text))
        elif clock:
            hh, mm, day, month, year = clock.groups()
            when = _at(now, int(hh), int(mm), day, month, year)
        elif date_first:
            day, month, year, hh, mm = date_first.groups()
            when = _at(now, int(hh), int(mm), day, month, year)
        else:
            raise LookupError
    except LookupError:
        raise ValueError(tr("not understood: type e.g. 40, 21:40 or 27/11 21:40")) from None
    except (OverflowError, ValueError):  # 25:70, 31/02, too many minutes
        raise ValueError(tr("not a valid day or time")) from None
    if when > now + _SKEW:
        raise ValueError(tr("that is still to come"))
    when_us = min(int(when.timestamp() * 1_000_000), now_us)
    if now_us - when_us > MAX_PAST_DAYS * 86_400_000_000:
        raise ValueError(tr("more than {days} days ago").format(days=MAX_PAST_DAYS))
    return when_us


def _at(now: dt.datetime, hh: int, mm: int, day: str | None, month: str | None,
        year: str | None) -> dt.datetime:
    if day is None:
        when = now.replace(hour=hh, minute=mm, second=0, microsecond=0)
        # a minute ahead is this minute on a clock a little fast; later is yesterday's
        return when - dt.timedelta(days=1) if when > now + _SKEW else min(when, now)
    return now.replace(year=int(year) if year else now.year, month=int(month or now.month),
                       day=int(day), hour=hh, minute=mm, second=0, microsecond=0)
