"""For test_store's time-zone test: in the zone TZ names, every day of a
year holds exactly the check-ins made on that local day.

    TZ=ZONE python -m tests.support.localday_worker FOLDER YEAR
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.clock import FakeClock
from kiosk.store.dayfiles.store import CheckInStore
from tests.support.records import checkin

MOMENTS = ((0, 0, 30), (12, 0, 0), (23, 59, 30))
"""Just after midnight, noon, just before the next midnight (local)."""


def main(folder: Path, year: int) -> None:
    time.tzset()
    zone = ZoneInfo(os.environ["TZ"])
    day, last = date(year, 1, 1), date(year, 12, 31)
    records, wanted = [], {}
    while day <= last:
        for hour, minute, second in MOMENTS:
            moment = datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=zone)
            record = checkin(f"D{day:%m%d}", moment)
            records.append(record)
            wanted.setdefault(day, set()).add(record["id"])
        day += timedelta(days=1)
    store = CheckInStore(folder)
    store.import_records(records)
    wrong = []
    for day, ids in wanted.items():
        found = {r["id"] for r in store.search(since=day, until=day)}
        noon = datetime(day.year, day.month, day.day, 12, tzinfo=zone)
        today = {r["id"] for r in CheckInStore(folder, FakeClock(noon).now).today()}
        if found != ids or today != ids:
            wrong.append(f"{day}: search {len(found & ids)}/{len(found)}, today {len(today)}")
    print("\n".join(wrong) or "ok")


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
