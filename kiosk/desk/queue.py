"""The desk's queue: which check-ins a view shows, what is wrong with the
store, and the count line above the table. No Textual: the staff screen
calls it from a worker, and tests call it directly."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from kiosk.checkin.record import series_of
from kiosk.desk.rows import printable
from kiosk.files import StoreError
from kiosk.i18n import ENGLISH, N_, Words
from kiosk.schedule.matching import booked
from kiosk.store.contract import (
    EVERY_SITE,
    ArchiveDamaged,
    LocalStore,
    Record,
    SiteView,
    Store,
)

FILTERS = {
    "today": N_("Today"),
    "flagged": N_("Flagged"),
    "waiting": N_("Waiting"),
    "all": N_("All"),
}
"""The queue's filters, in the order of their buttons and keys 1 to 4."""

MOST_ROWS = 500
"""All history and search show the newest this many; a search narrows it."""
MOST_SERIES_AHEAD = 20
"""How many of the shown check-ins' series a load reads ahead (newest rows first)."""


@dataclass(frozen=True)
class View:
    """What the table shows: a filter, or a name search over all history."""

    filter: str = "today"
    search: str = ""
    site: str | None = None
    """With a store of several sites: the one shown (None: every site)."""
    page: int = 0
    """A name search's page: 0 the newest `MOST_ROWS` matches, 1 the next."""
    practitioner: str | None = None
    """Only check-ins booked with this practitioner (None: everyone's)."""

    @property
    def sites(self) -> SiteView:
        """The site argument of every read this view makes."""
        return EVERY_SITE if self.site is None else self.site

    def with_filter(self, name: str) -> View:
        """This filter, on the same site; any search is cleared."""
        return View(filter=name, site=self.site, practitioner=self.practitioner)

    def with_search(self, text: str) -> View:
        """A search for this text (its first page); "" is the filter again."""
        return View(filter=self.filter, search=text.strip(), site=self.site,
                    practitioner=self.practitioner)

    def with_practitioner(self, practitioner: str | None) -> View:
        return replace(self, practitioner=practitioner, page=0)

    def with_site(self, site: str | None) -> View:
        return replace(self, site=site, page=0)

    def turned(self, step: int, total: int) -> View:
        """A search's page `step` pages on (1: older matches), within the
        `total` matches; a filter has one page."""
        if not self.search:
            return self
        return replace(self, page=min(max(self.page + step, 0), last_page(total)))

    @property
    def newest_last(self) -> bool:
        """Today's lists run in arrival order, so their newest rows are last;
        all history and a search run newest first."""
        return not (self.search or self.filter == "all")


@dataclass
class Selection:
    """The check-in staff chose, by id, so keys act on it wherever its row moves."""

    id: str | None = None
    gone: bool = False
    """It left the list (erased, or moved on at another desk): keys act on
    nothing until staff choose again, never on whichever row the cursor is on."""

    def choose(self, checkin_id: str | None) -> None:
        self.id, self.gone = checkin_id, False

    def after_load(self, shown: list[str], *, same_list: bool) -> None:
        """Keep the choice across a reload of the same list; a new list
        starts at its first row."""
        if not same_list:
            self.gone = False
        if self.id is not None and self.id not in shown and same_list:
            self.id, self.gone = None, True
        elif self.id not in shown and not self.gone:
            self.id = shown[0] if shown else None


@dataclass
class Loaded:
    """One load of the table."""

    records: list[Record]
    total: int
    """How many the view holds in all (a search: every match)."""
    problems: str
    """One line on what is wrong with the store ("" when nothing is)."""
    series: dict[str, list[Record]] = field(default_factory=dict)
    """The series of linked check-ins shown, read ahead so that opening one
    reads nothing more."""
    version: Any = None
    """The store's version when this load began."""
    archive: dict[str, str] = field(default_factory=dict)
    """Consent texts the shown check-ins point to that are "missing" from
    the archive or "damaged" there, by version."""


def store_problems(store: Store, *, schedule: bool = False, words: Words = ENGLISH) -> str:
    """What staff should know about the store after a read, in one line
    (`schedule`: with any schedule source whose last read failed)."""
    n_ = words.n_
    problems = []
    if skipped := store.skipped():
        problems.append(n_("{count} damaged check-in not shown",
                           "{count} damaged check-ins not shown", skipped))
    if isinstance(store, LocalStore):
        if aside := store.damaged_count():
            problems.insert(0, n_("{count} damaged file moved aside",
                                  "{count} damaged files moved aside", aside))
        if held := store.held_in_memory():
            problems.append(n_("{count} check-in held only in this kiosk's memory",
                               "{count} check-ins held only in this kiosk's memory", held))
        if pending := store.pending_count():
            problems.append(n_("{count} check-in waiting after a failed save",
                               "{count} check-ins waiting after a failed save", pending))
    said = words._("{problems}: run `kiosk doctor`", problems=words._("; ").join(problems)
                   ) if problems else ""
    if schedule:
        from kiosk.desk.schedule import stale_lines

        said = "; ".join([*stale_lines(store.schedule_states(), words),
                          *([said] if said else [])])
    return f"⚠ {said}" if said else ""


def load(store: Store, view: View, today: date, *, ahead: bool = True,
         schedule: bool = False, words: Words = ENGLISH) -> Loaded:
    """The check-ins a view shows (at most `MOST_ROWS`), and any trouble
    with the store; with `ahead`, the series of the newest linked ones too."""
    site = view.sites
    version = store.version()
    total: int | None = None
    try:
        if view.search:
            # A page of the newest matches, from the name index.
            found, total = store.find_names(view.search, limit=MOST_ROWS,
                                            offset=view.page * MOST_ROWS, site=site)
        elif view.filter == "flagged":
            found = store.search(since=today, until=today, flagged=True, site=site)
        elif view.filter == "waiting":
            found = store.search(since=today, until=today, status="waiting", site=site)
        elif view.filter == "all":
            found = store.all(site=site)[::-1]
        else:
            found = store.search(since=today, until=today, site=site)
        note = store_problems(store, schedule=schedule, words=words)
    except StoreError as error:
        found, note = [], "⚠ " + words._("The check-ins can't be read: {error}", error=error)
    if view.practitioner is not None:
        found = [record for record in found if practitioner_of(record) == view.practitioner]
    # Lists newest first keep their head; today's queue, in arrival order,
    # keeps its tail: on a day of thousands, the newest arrivals show.
    shown = found[-MOST_ROWS:] if view.newest_last else found[:MOST_ROWS]
    series = read_series(store.series, shown[::-1] if view.newest_last else shown) if ahead else {}
    return Loaded(shown, len(found) if total is None else total, note, series, version,
                  archive_problems(store, shown))


def archive_problems(store: Store, records: list[Record]) -> dict[str, str]:
    """What is wrong with the kept texts these check-ins' consents point to
    (a few versions: each read once)."""
    versions = {str(agreed.get("version", "")) for record in records
                for agreed in record.get("consents", []) if isinstance(agreed, dict)}
    found = {}
    for version in versions:
        try:
            if store.consent_text(version) is None:
                found[version] = "missing"
        except ArchiveDamaged:
            found[version] = "damaged"
        except StoreError:
            break  # The load's note says why the store can't be read.
    return found


def read_series(read: Callable[[str], list[Record]],
                records: list[Record]) -> dict[str, list[Record]]:
    """The series of the first linked check-ins (at most `MOST_SERIES_AHEAD`),
    read ahead so that opening one reads nothing more."""
    series: dict[str, list[Record]] = {}
    for record in records:
        linked = series_of(record)
        if linked is None or linked[0] in series:
            continue
        if len(series) >= MOST_SERIES_AHEAD:
            break
        try:
            series[linked[0]] = read(linked[0])
        except StoreError:
            break  # Read when opened instead; the load's note says why.
    return series


def practitioner_of(record: Record) -> str | None:
    """The practitioner a check-in's booking is with, if it has one."""
    appointment = booked(record)
    return str(appointment.get("practitioner", "")) if appointment is not None else None


def next_practitioner(practitioners: list[str], shown: str | None) -> str | None:
    """Everyone's (None), then each practitioner of today, and round again."""
    choices: list[str | None] = [None, *sorted(set(practitioners))]
    at = choices.index(shown) if shown in choices else 0
    return choices[(at + 1) % len(choices)]


def last_page(total: int) -> int:
    """The last page of a search with this many matches."""
    return max(0, (total - 1) // MOST_ROWS)


def next_site(home: str, others: list[str], shown: str | None) -> str | None:
    """The site after the one shown: this machine's own, then every site
    (None), then each other one, and round again."""
    choices: list[str | None] = [home, None, *others]
    at = choices.index(shown) if shown in choices else -1
    return choices[(at + 1) % len(choices)]


COUNTED = {"today": N_("{count} today"), "flagged": N_("{count} flagged"),
           "waiting": N_("{count} waiting"), "all": N_("{count} in all")}
"""How many a filter shows, in words."""


def count_line(view: View, shown: int, total: int, *, several_sites: bool,
               words: Words = ENGLISH) -> str:
    """The line above the table: how many are shown of how many, and how to
    page through a search (for example "newest 500 of 1,234")."""
    _, number = words._, words.number
    first = view.page * MOST_ROWS
    search = f"“{printable(view.search, 30)}”"
    if view.search and first:
        count = _("{first}–{last} of {total} matching {search}",
                  first=number(first + 1), last=number(first + shown), total=number(total),
                  search=search) + " · [ " + _("newer")
        if first + shown < total:
            count += " · ] " + _("older")
    elif view.search:
        count = (_("{count} matching {search}", count=number(shown), search=search)
                 if shown == total else
                 _("newest {count} of {total} matching {search}", count=number(shown),
                   total=number(total), search=search) + " · ] " + _("older"))
    elif shown == total:
        count = _(COUNTED[view.filter], count=number(shown))
    else:
        count = _("newest {count} of {total}", count=number(shown), total=number(total))
    if view.practitioner is not None:
        count += _(" · with {practitioner}", practitioner=printable(view.practitioner, 20)
                   or _("(no one named)"))
    if several_sites:
        # A site's name comes from the database: shown as text, printable.
        count += f" · {printable(view.site, 40)}" if view.site is not None else _(" · all sites")
    return count
