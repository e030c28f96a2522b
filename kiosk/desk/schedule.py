"""The schedule kept up to date: a source imported into a store, the feeds
read again in the background, and each source's state for the desk and
`kiosk doctor`. One function each, for the command line and the apps."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from kiosk.clock import WallClock
from kiosk.files import StoreError
from kiosk.i18n import ENGLISH, Words
from kiosk.schedule.matching import Window
from kiosk.schedule.model import Appointment, ScheduleError, Source
from kiosk.settings import Settings
from kiosk.store.contract import SourceState, Store

FILE_PAST_DAYS = 5 * 366
"""An imported file's bookings are kept from this many days back..."""
FILE_AHEAD_DAYS = 366
"""...to this many ahead (a recurring booking with no end stops there)."""
FEED_PAST_DAYS = 1
FEED_AHEAD_DAYS = 60
"""A feed, read every few minutes, is read for yesterday to two months ahead."""


@dataclass(frozen=True)
class Imported:
    """What an import did."""

    source: str
    count: int
    first: date
    last: date
    """The days it covered: what the source said of them replaced the old."""


def span(source: Source, today: date) -> tuple[date, date]:
    past, ahead = ((FEED_PAST_DAYS, FEED_AHEAD_DAYS) if source.is_feed
                   else (FILE_PAST_DAYS, FILE_AHEAD_DAYS))
    return today - timedelta(days=past), today + timedelta(days=ahead)


def read(source: Source, today: date, data: bytes | None = None) -> list[Appointment]:
    """The source's bookings over its span; `ScheduleError` if it can't be read."""
    from kiosk.schedule.sources import read_source  # The readers, when a source is read.

    first, last = span(source, today)
    return read_source(source, first, last, data)


def import_source(store: Store, source: Source, today: date,
                  data: bytes | None = None, *, track: bool = True) -> Imported:
    """Read a source and keep what it says, replacing what it said before of
    the same days; its state is noted either way (`track`: a configured
    source, whose state the desk and doctor show). Raises `ScheduleError`
    (the store keeps the last good schedule) or `StoreError`."""
    from kiosk.schedule.sources import read_source

    first, last = span(source, today)
    try:
        appointments = read_source(source, first, last, data)
    except ScheduleError as error:
        if track:
            store.note_schedule_read(source.name, str(error))
        raise
    count = store.put_appointments(source.name, first, last, appointments)
    if track:
        store.note_schedule_read(source.name, None)
    return Imported(source.name, count, first, last)


def refresh(store: Store, sources: Sequence[Source], today: date,
            only_feeds: bool = True) -> list[str]:
    """Read each feed again (every source, if not `only_feeds`); returns one
    line for each that failed. A failed read keeps the last good schedule."""
    failed = []
    for source in sources:
        if only_feeds and not source.is_feed:
            continue
        try:
            import_source(store, source, today)
        except (ScheduleError, StoreError) as error:
            failed.append(str(error))
    return failed


def source_for(path: str, sources: Sequence[Source]) -> Source | None:
    """The configured source a file given on the command line is, if any."""
    for source in sources:
        if source.location == path:
            return source
    return None


def stale_lines(states: Sequence[SourceState], words: Words = ENGLISH) -> list[str]:
    """A line for each source whose last read failed: the desk and doctor
    show them (the schedule shown is the last good read). The reader's own
    words name the file or feed, in English, as every such message does."""
    lines = []
    for state in states:
        if state.failing:
            lines.append(words._("{error}; the schedule shown is from {when}", error=state.error,
                                 when=words.day_time(state.last_good.astimezone()))
                         if state.last_good else
                         words._("{error}; it has never been read", error=state.error))
    return lines


class Refresher:
    """Reads the feeds again every `minutes`, in a thread of its own."""

    def __init__(self, store: Store, sources: Sequence[Source], minutes: int,
                 clock: WallClock) -> None:
        self.store = store
        self.sources = [source for source in sources if source.is_feed]
        self.seconds = minutes * 60.0
        self.clock = clock
        self.stop = threading.Event()
        self.read_once = threading.Event()
        """Set after each round of reads (tests wait on it)."""

    def run(self, sleep: Callable[[threading.Event, float], bool] | None = None) -> None:
        pause = sleep or (lambda event, seconds: event.wait(seconds))
        while not self.stop.is_set():
            refresh(self.store, self.sources, self.clock().astimezone().date())
            self.read_once.set()
            pause(self.stop, self.seconds)

    def start(self) -> threading.Thread | None:
        """A daemon thread (never holds up exit); None without feeds."""
        if not self.sources:
            return None
        thread = threading.Thread(target=self.run, name="schedule-feeds", daemon=True)
        thread.start()
        return thread


@dataclass(frozen=True)
class DeskSchedule:
    """What the desk needs to know of the clinic's schedule settings."""

    window: Window
    late_after: timedelta
    bell: bool
    """Ring the desk's bell at each arrival with a booking."""


def desk_schedule(settings: Settings) -> DeskSchedule | None:
    """None where the clinic set no schedule: the desk shows no bookings."""
    if not settings.schedule:
        return None
    before, after = settings.arrival_window
    return DeskSchedule(Window(timedelta(minutes=before), timedelta(minutes=after)),
                        timedelta(minutes=settings.late_after), settings.notify_bell)
