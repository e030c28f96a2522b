"""Delivery: a kiosk saves to its own folder first, and a worker sends each
check-in on to PostgreSQL (a real server on 127.0.0.1): in order, once, and
never in the client's way."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from textual.widgets import Label

from kiosk.cli import main
from kiosk.clock import FakeClock
from kiosk.delivery import Delivery
from kiosk.settings import Settings
from kiosk.store.dayfiles.store import CheckInStore
from kiosk.store.postgres import DatabaseError
from tests.support.clock import FIXED_NOW
from tests.support.paths import ROOT
from tests.support.postgres import Server
from tests.support.postgres import readme_roles as _readme_roles
from tests.support.records import checkin
from tests.support.wait import wait_until


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(FIXED_NOW)


def kiosk(folder: Path, pg_url: str, clock: FakeClock, site: str = "Northside") -> Delivery:
    return Delivery(CheckInStore(folder, clock.now), pg_url, site=site, keep_days=7,
                    clock=clock.now)


def rows(pg_url: str) -> list[tuple[str, str]]:
    with psycopg.connect(pg_url) as db:
        return [(str(row[0]), row[1]) for row in
                db.execute("SELECT id, site FROM checkins ORDER BY created_at, seq")]


def test_check_ins_are_delivered_in_order_once_and_marked(
    tmp_path: Path, pg_url: str, clock: FakeClock,
) -> None:
    delivery = kiosk(tmp_path / "kiosk", pg_url, clock)
    made = [delivery.store.add(checkin(f"D{n}", FIXED_NOW - timedelta(minutes=9 - n)))
            for n in range(3)]
    assert delivery.report().waiting == 3
    assert delivery.deliver() == 3
    assert rows(pg_url) == [(checkin_id, "Northside") for checkin_id in made]
    assert delivery.deliver() == 0, "marked: nothing is sent twice"
    report = delivery.report()
    assert (report.waiting, report.oldest, report.last_error) == (0, None, None)
    assert report.last_delivery == FIXED_NOW.isoformat(timespec="seconds")
    assert len(delivery.store.all()) == 3, "the kiosk keeps its copies for a while"


def test_a_lost_acknowledgement_sends_again_and_stores_once(
    tmp_path: Path, pg_url: str, clock: FakeClock, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The commit succeeded, the kiosk died before marking it: no duplicate."""
    delivery = kiosk(tmp_path / "kiosk", pg_url, clock)
    made = [delivery.store.add(checkin(f"L{n}")) for n in range(4)]

    def killed(_self: Delivery, _ids: list[str]) -> None:
        raise SystemExit("killed between the commit and the mark")

    monkeypatch.setattr(Delivery, "_mark", killed)
    with pytest.raises(SystemExit):
        delivery.deliver()
    assert len(rows(pg_url)) == 4
    monkeypatch.undo()
    again = kiosk(tmp_path / "kiosk", pg_url, clock)  # Restarted.
    assert again.report().waiting == 4
    again.deliver()
    assert sorted(row[0] for row in rows(pg_url)) == sorted(made), "each once"
    assert again.report().waiting == 0


def test_a_database_that_is_down_keeps_them_waiting_then_they_all_go(
    tmp_path: Path, server: Server, pg_url: str, clock: FakeClock,
) -> None:
    delivery = kiosk(tmp_path / "kiosk", pg_url, clock)
    first = delivery.store.add(checkin("Before"))
    server.stop()
    try:
        later = [delivery.store.add(checkin(f"While{n}")) for n in range(3)]
        with pytest.raises(DatabaseError, match="could not connect"):
            delivery.deliver()
        stop_after = iter(range(2))

        def one_try(event: object, seconds: float) -> bool:
            assert seconds > 1, "a failing database is tried again after a longer wait"
            if next(stop_after, None) is None:
                delivery.stop.set()
            return False

        delivery.run(sleep=one_try)
        report = delivery.report()
        assert report.waiting == 4 and report.oldest is not None
        assert report.last_error and "could not connect" in report.last_error
    finally:
        server.start()
    assert delivery.deliver() == 4
    assert sorted(row[0] for row in rows(pg_url)) == sorted([first, *later])
    assert delivery.report().last_error is None


def test_local_copies_go_a_week_after_delivery_and_only_then(
    tmp_path: Path, pg_url: str, clock: FakeClock,
) -> None:
    delivery = kiosk(tmp_path / "kiosk", pg_url, clock)
    sent = delivery.store.add(checkin("Sent"))
    delivery.deliver()
    clock.advance(6 * 86400, wall_only=True)
    kept = delivery.store.add(checkin("Kept", FIXED_NOW + timedelta(days=6)))
    with pytest.raises(DatabaseError):
        Delivery(delivery.store, pg_url.replace("/test_", "/no_such_"), site="x",
                 keep_days=7, clock=clock.now).deliver()
    clock.advance(2 * 86400, wall_only=True)
    assert delivery.erase_delivered() == 1
    assert delivery.store.get(sent) is None, "delivered 8 days ago: erased here"
    assert delivery.store.get(kept) is not None, "never delivered: kept"
    assert len(rows(pg_url)) == 1, "the database keeps it"


def test_three_kiosk_processes_deliver_600_once_through_a_stopped_database(
    tmp_path: Path, server: Server, pg_url: str,
) -> None:
    """Three kiosk processes, each with its own data folder (three
    machines), save 200 check-ins each while their delivery workers run and
    the database is stopped. Started again: exactly 600 rows, each once."""
    import subprocess
    import sys

    program = (
        "import sys, threading\n"
        "import kiosk.delivery\n"
        "from kiosk.delivery import Delivery\n"
        "kiosk.delivery.LONGEST_WAIT = 2.0  # Backoff has its own test; here, no minute's wait.\n"
        "from kiosk.store.dayfiles.store import CheckInStore\n"
        "from tests.support.records import checkin\n"
        "folder, pg_url, site = sys.argv[1:4]\n"
        "store = CheckInStore(folder)\n"
        "delivery = Delivery(store, pg_url, site=site, keep_days=7, clock=store.clock)\n"
        "worker = threading.Thread(target=delivery.run, daemon=True)\n"
        "worker.start()\n"
        "for n in range(200):\n"
        "    store.add(checkin(f'K{n}'))\n"
        "    delivery.wake.set()\n"
        "print('saved', flush=True)\n"
        "sys.stdin.readline()  # Until told to stop.\n"
    )
    server.stop()
    kiosks = []
    try:
        kiosks = [subprocess.Popen(
            [sys.executable, "-c", program, str(tmp_path / f"kiosk{n}"), pg_url, f"Site {n}"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            cwd=ROOT) for n in range(3)]
        for machine in kiosks:
            assert machine.stdout is not None and machine.stdout.readline() == "saved\n"
        for n in range(3):
            report = Delivery(CheckInStore(tmp_path / f"kiosk{n}"), pg_url, site="x",
                              keep_days=7, clock=lambda: FIXED_NOW).report()
            assert report.waiting == 200 and report.last_error, "all waiting, the error noted"
    finally:
        server.start()
    try:
        wait_until(lambda: len(rows(pg_url)) >= 600, "600 check-ins delivered", limit=60,
                   every=0.1)
    finally:
        for machine in kiosks:
            machine.communicate("stop\n", timeout=30)
    delivered = rows(pg_url)
    assert len(delivered) == 600 and len({row[0] for row in delivered}) == 600
    assert {row[1] for row in delivered} == {"Site 0", "Site 1", "Site 2"}


def test_doctor_shows_waiting_check_ins_and_the_database_s_trouble(
    tmp_path: Path, server: Server, pg_url: str, settings: Settings,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = FakeClock(FIXED_NOW)
    delivery = kiosk(settings.data_dir, pg_url.replace("/test_", "/gone_"), clock)
    delivery.store.add(checkin("Waiting"))
    with pytest.raises(DatabaseError):
        delivery.deliver()
    delivery._note(last_error="2026-11-27T14:30:00+00:00: could not connect")
    monkeypatch.setenv("KIOSK_DATABASE_URL", pg_url.replace("/test_", "/gone_"))
    monkeypatch.setenv("KIOSK_DATA_DIR", str(settings.data_dir))
    code = main(["doctor", "--config", "/dev/null"])
    out = capsys.readouterr().out
    assert code == 1
    assert "deliveries: 1 check-in(s) waiting, the oldest made 2026-11-27T14:30:00+00:00" in out
    assert "problem: could not connect to postgresql://kiosk_admin:***@" in out
    assert "problem: 1 check-in(s) not delivered yet" in out
    assert "Waiting" not in out


async def test_a_kiosk_visit_reaches_the_database_and_a_dead_one_never_shows(
    settings: Settings, server: Server, pg_url: str,
) -> None:
    """The kiosk saves locally and shows the result; the check-in arrives in
    the database by itself. With the database gone, the next client's visit
    is the same, and their check-in waits."""
    from dataclasses import replace

    from tests.support.kiosk_app import kiosk as kiosk_app
    from tests.support.visit import MEDICAL_VISIT, answer_all, tap, wait_for, wait_for_screen

    app = kiosk_app(replace(settings, database_url=pg_url, site="Northside"))
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_all(pilot, MEDICAL_VISIT)
        await tap(pilot, "#next")
        await wait_for_screen(pilot, "result")
        [saved] = CheckInStore(settings.data_dir).all()
        await wait_for(pilot, lambda: rows(pg_url) == [(saved["id"], "Northside")],
                       "the check-in in the database")
        server.stop()
        try:
            await tap(pilot, "#done")
            await wait_for_screen(pilot, "welcome")
            await answer_all(pilot, MEDICAL_VISIT)
            await tap(pilot, "#next")
            await wait_for_screen(pilot, "result")
            assert app.delivery is not None
            await wait_for(pilot, lambda: app.delivery.report().last_error is not None,
                           "the failed delivery, noted for doctor")
            assert app.delivery.report().waiting == 1
        finally:
            server.start()
        app.delivery.wake.set()
        await wait_for(pilot, lambda: len(rows(pg_url)) == 2, "the waiting one, delivered")


def test_the_readme_roles_a_kiosk_may_only_insert_the_desk_does_the_rest(
    tmp_path: Path, server: Server, pg_url: str, clock: FakeClock,
) -> None:
    from kiosk.files import StoreError
    from kiosk.store.postgres.store import PostgresStore

    _readme_roles(pg_url)
    name = pg_url.rsplit("/", 1)[1]
    device = server.url(name, user="kiosk_device", password="device-pw")
    staff = server.url(name, user="kiosk_staff", password="staff-pw")
    delivery = kiosk(tmp_path / "kiosk", device, clock)
    made = [delivery.store.add(checkin(f"R{n}", FIXED_NOW - timedelta(minutes=5 - n)))
            for n in range(2)]
    assert delivery.deliver() == 2, "the kiosk's role delivers"
    delivery.store.import_records([delivery.store.get(made[0])])
    (tmp_path / "kiosk" / "delivered.json").unlink()  # As if never marked: sent again.
    assert delivery.deliver() == 2, "and sending again is no error for it"
    with psycopg.connect(device) as db, pytest.raises(psycopg.errors.InsufficientPrivilege):
        db.execute("SELECT * FROM checkins")
    for statement in ("UPDATE checkins SET status = 'done'", "DELETE FROM checkins"):
        with psycopg.connect(device) as db, pytest.raises(psycopg.errors.InsufficientPrivilege):
            db.execute(statement)
    with pytest.raises(StoreError, match="permission denied"):
        PostgresStore(device, clock=clock.now).today()
    from kiosk.store.postgres.access import DatabaseAuditLog, DatabasePin, DevicePin

    DatabasePin(pg_url).set("135790")  # As the owner, once.
    assert DevicePin(device, clock.now).check("135790").ok, "the kiosk's pad still checks it"
    desk_pad = DatabasePin(staff, clock.now, audit=DatabaseAuditLog(staff, clock.now))
    assert desk_pad.check("135790", where="staff").ok
    with psycopg.connect(device) as db, pytest.raises(psycopg.errors.InsufficientPrivilege):
        db.execute("SELECT * FROM staff_audit")
    assert DatabaseAuditLog(staff).entries()[-1]["action"] == "sign-in-staff"
    desk = PostgresStore(staff, clock=clock.now, site="Northside", only_site="Northside")
    assert sorted(record["id"] for record in desk.today()) == sorted(made)
    assert desk.set_status(made[0], "with_therapist")
    series = desk.link(made[1], made[0])
    assert [record["id"] for record in desk.series(series)] == made
    assert desk.version() is not None and desk.delete(made[1])
    assert desk.purge(0) == 1
    desk.close()


@pytest.mark.parametrize("statement", [
    "SELECT saved FROM staff_pin",  # The scrypt hash and salt: every PIN falls offline.
    "SELECT state FROM staff_pin",
    "UPDATE staff_pin SET saved = NULL",  # A PIN of its own choosing.
    """UPDATE staff_pin SET state = '{"staff": {"failures": 0, "lockouts": 9,
       "locked_until": "2999-01-01T00:00:00+00:00"}}'""",  # Every desk locked.
    """INSERT INTO staff_audit (entry) VALUES ('{"action": "erase", "site": "main"}')""",
    "SELECT * FROM staff_audit",
    "UPDATE staff_audit SET entry = '{}'",
    "DELETE FROM staff_audit",
])
def test_a_stolen_kiosks_role_cant_touch_the_pin_the_locks_or_the_log(
    statement: str, server: Server, pg_url: str,
) -> None:
    """Before: the README's kiosk role could read the PIN's hash, set the
    PIN, lock every desk, and write audit entries the desk took for real."""
    from kiosk.store.postgres.access import DatabasePin

    _readme_roles(pg_url)
    DatabasePin(pg_url).set("135790")
    device = server.url(pg_url.rsplit("/", 1)[1], user="kiosk_device", password="device-pw")
    with psycopg.connect(device) as db, pytest.raises(psycopg.errors.InsufficientPrivilege):
        db.execute(statement)


def test_the_kiosks_pad_locks_only_the_kiosks_and_every_entry_names_its_role(
    server: Server, pg_url: str, clock: FakeClock,
) -> None:
    from kiosk.access.pin import MAX_TRIES
    from kiosk.store.postgres.access import DatabaseAuditLog, DatabasePin, DevicePin

    _readme_roles(pg_url)
    name = pg_url.rsplit("/", 1)[1]
    device = server.url(name, user="kiosk_device", password="device-pw")
    staff = server.url(name, user="kiosk_staff", password="staff-pw")
    assert not DevicePin(device, clock.now).is_set()
    assert DevicePin(device, clock.now).check("1234").problem is not None, "no PIN: said so"
    DatabasePin(staff, clock.now, audit=DatabaseAuditLog(staff, clock.now)).set("135790")
    pad = DevicePin(device, clock.now, site="Northside")
    assert pad.is_set()
    tries = [pad.check("000000") for _ in range(MAX_TRIES)]
    assert [t.tries_left for t in tries] == [4, 3, 2, 1, 0]
    assert tries[-1].locked_seconds == 60 and pad.locked_seconds() == 60
    assert not pad.check("135790").ok, "locked: even the right PIN waits"
    clock.advance(30)
    assert pad.locked_seconds() == 30, "the countdown reads the lock it was told of"
    desk = DatabasePin(staff, clock.now, audit=DatabaseAuditLog(staff, clock.now))
    assert desk.check("135790", where="staff").ok, "the desk is never locked by a kiosk"
    with pytest.raises(ValueError):
        pad.check("135790", where="staff")
    with pytest.raises(PermissionError):
        pad.set("999999")
    entries = DatabaseAuditLog(staff).entries()
    by_role = {(entry["role"], entry["action"]) for entry in entries}
    assert ("kiosk_device", "pin-failed") in by_role and ("kiosk_device", "pin-locked") in by_role
    assert ("kiosk_device", "pin-refused-locked") in by_role
    assert ("kiosk_staff", "pin-set") in by_role and ("kiosk_staff", "sign-in-staff") in by_role
    assert {entry["site"] for entry in entries if entry["role"] == "kiosk_device"} == {
        "main", "Northside"}, "each pad's own site (the first had none set)"
    assert "135790" not in json.dumps(entries) and "000000" not in json.dumps(entries)
    with psycopg.connect(pg_url) as db:  # Even the owner's entry can't claim another role.
        db.execute("""INSERT INTO staff_audit (entry, role) VALUES ('{"action": "x"}', 'kiosk_staff')""")
    assert DatabaseAuditLog(staff).entries()[-1]["role"] == "kiosk_admin"


def test_a_kiosk_killed_mid_delivery_loses_nothing_and_doubles_nothing(
    tmp_path: Path, pg_url: str,
) -> None:
    """A process delivering 1,000 check-ins, 50 to a batch, is killed with
    SIGKILL at random moments; after each restart, and at the end, every
    check-in is in the database exactly once."""
    import random
    import select
    import signal
    import subprocess
    import sys

    folder = tmp_path / "kiosk"
    store = CheckInStore(folder, lambda: FIXED_NOW)
    made = {store.add(checkin(f"S{n}", FIXED_NOW - timedelta(seconds=n)))
            for n in range(20)}
    store.import_records(checkin(f"T{n}", FIXED_NOW - timedelta(minutes=n)) for n in range(980))
    made |= {record["id"] for record in store.all()}
    assert len(made) == 1000
    program = (
        "import sys, kiosk.delivery as d\n"
        "from kiosk.store.dayfiles.store import CheckInStore\n"
        "d.BATCH = 50\n"
        f"store = CheckInStore({str(folder)!r})\n"
        f"print('ready', flush=True)\n"
        f"d.Delivery(store, {pg_url!r}, site='x', keep_days=7, clock=store.clock).deliver()\n"
        "print('done', flush=True)\n")
    chance = random.Random(14)
    seen = []
    for _ in range(6):
        child = subprocess.Popen([sys.executable, "-c", program], stdout=subprocess.PIPE,
                                 text=True)
        assert child.stdout is not None and child.stdout.readline() == "ready\n"
        # Once it has begun (or ended), a kill at a random moment.
        while not rows(pg_url) and child.poll() is None:
            select.select([child.stdout], [], [], 0.01)
        select.select([child.stdout], [], [], chance.uniform(0, 0.2))
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        delivered = [row[0] for row in rows(pg_url)]
        assert len(delivered) == len(set(delivered)), "never twice"
        seen.append(len(delivered))
    assert any(0 < count < 1000 for count in seen), f"no kill landed mid-delivery: {seen}"
    Delivery(CheckInStore(folder), pg_url, site="x", keep_days=7, clock=store.clock).deliver()
    delivered = [row[0] for row in rows(pg_url)]
    assert sorted(delivered) == sorted(made), "every one, once"


async def test_a_slow_database_never_holds_up_a_client(
    settings: Settings, server: Server, pg_url: str,
) -> None:
    """The database is stuck (a lock held on the table): the visit reaches
    its result as always, while the delivery waits; released, it goes."""
    from dataclasses import replace

    from tests.support.kiosk_app import kiosk as kiosk_app
    from tests.support.visit import SPA_VISIT, answer_all, tap, wait_for, wait_for_screen

    app = kiosk_app(replace(settings, database_url=pg_url))
    with psycopg.connect(pg_url) as holder:
        holder.execute("LOCK TABLE checkins IN ACCESS EXCLUSIVE MODE")  # Held until commit.
        async with app.run_test(size=(80, 24)) as pilot:
            await answer_all(pilot, SPA_VISIT)
            await tap(pilot, "#next")
            await wait_for_screen(pilot, "result")
            assert len(CheckInStore(settings.data_dir).all()) == 1, "saved here, at once"
            assert app.delivery is not None and app.delivery.report().waiting == 1
            holder.commit()  # The database is free again.
            await wait_for(pilot, lambda: len(rows(pg_url)) == 1, "the delivery, once it could")


async def test_the_desk_shows_its_own_site_then_all_then_each_other(
    settings: Settings, pg_url: str, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The staff app on the shared database: its own site first; `s` goes
    to every site, then to each other one. Export names a site, or all."""
    from dataclasses import replace

    from textual.widgets import Label

    from kiosk.store.postgres.store import PostgresStore
    from screens.staff_app import StaffApp
    from tests.support.staff import CONTENT, names, open_staff
    from tests.support.visit import wait_for

    clock = FakeClock(FIXED_NOW)
    for site, people in (("Northside", ["Ann", "Bo"]), ("Southside", ["Cy"])):
        store = PostgresStore(pg_url, clock=clock.now, site=site)
        for n, person in enumerate(people):
            store.add(checkin(person, FIXED_NOW - timedelta(minutes=10 - n)))
        store.close()
    # A site's name from the database, shown as text: no markup, no escape codes.
    with psycopg.connect(pg_url, autocommit=True) as db:
        db.execute("UPDATE checkins SET site = %s WHERE site = 'Southside'",
                   ("[b]South\x1b[2J",))
    desk = replace(settings, database_url=pg_url, site="Northside")
    app = StaffApp(desk, CONTENT, clock, signed_in=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_staff(pilot)

        def count() -> str:
            return str(app.screen.query_one("#staff-count", Label).render())

        assert names(app) == ["Ann K.", "Bo K."] and count().endswith("· Northside")
        assert "s site" in str(app.screen.query_one("#staff-keys", Label).render())
        await pilot.press("s")
        await wait_for(pilot, lambda: sorted(names(app)) == ["Ann K.", "Bo K.", "Cy K."],
                       "all sites")
        assert count().endswith("· all sites")
        await pilot.press("s")
        await wait_for(pilot, lambda: names(app) == ["Cy K."], "the other site")
        assert count().endswith("· [b]South␛[2J"), count()
        await pilot.press("s")
        await wait_for(pilot, lambda: names(app) == ["Ann K.", "Bo K."], "back to its own")
    app.store.close()  # type: ignore[attr-defined]
    monkeypatch.setenv("KIOSK_DATABASE_URL", pg_url)
    config = settings.data_dir.parent / "kiosk.toml"
    config.write_text('site = "Southside"\n')
    with psycopg.connect(pg_url, autocommit=True) as db:
        db.execute("UPDATE checkins SET site = 'Southside' WHERE site <> 'Northside'")
    assert main(["export", "--format", "csv", "--config", str(config)]) == 0
    rows_out = capsys.readouterr().out.splitlines()
    assert len(rows_out) == 2 and '"Southside"' in rows_out[1]
    assert main(["export", "--format", "csv", "--config", str(config), "--all-sites"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 4
    assert main(["export", "--config", str(config), "--site", "Northside"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3
    monkeypatch.delenv("KIOSK_DATABASE_URL")
    assert main(["export", "--config", "/dev/null", "--site", "Northside"]) == 2
    assert "need a shared database" in capsys.readouterr().err


def test_one_pin_and_one_log_for_every_machine(pg_url: str) -> None:
    """kiosk set-pin on one machine sets it for all; wrong tries count
    across machines per place, and lock them all; every machine's entries
    are in one audit log, with their site, never the PIN."""
    from kiosk.access.pin import MAX_TRIES
    from kiosk.store.postgres.access import DatabaseAuditLog, DatabasePin

    clock = FakeClock(FIXED_NOW)
    desk1 = DatabasePin(pg_url, clock.now, audit=DatabaseAuditLog(pg_url, clock.now, site="A"))
    desk2 = DatabasePin(pg_url, clock.now, audit=DatabaseAuditLog(pg_url, clock.now, site="B"))
    assert not desk2.is_set()
    desk1.set("246810")
    assert desk2.is_set() and desk2.check("246810").ok, "set on one, known to all"
    for _ in range(MAX_TRIES - 1):
        assert not desk1.check("111111").ok
    locked = desk2.check("111111")
    assert locked.locked_seconds == 60, "tries at the desk count on every machine"
    assert desk1.check("246810").locked_seconds == 60, "and the lock holds on every one"
    assert desk2.locked_seconds("staff") == 60 and desk2.locked_seconds("kiosk") == 0
    assert desk1.check("246810", where="kiosk").ok, "the kiosk's pad is a place of its own"
    clock.advance(61)
    assert desk2.check("246810").ok
    entries = DatabaseAuditLog(pg_url).entries()
    actions = [entry["action"] for entry in entries]
    assert actions[0] == "pin-set" and "pin-locked" in actions and "sign-in-kiosk" in actions
    assert {entry["site"] for entry in entries} == {"A", "B"}
    assert "246810" not in json.dumps(entries) and "111111" not in json.dumps(entries)


def test_the_commands_and_the_desk_use_the_shared_pin_and_log(
    pg_url: str, tmp_path: Path,
) -> None:
    import subprocess
    import sys

    from kiosk.store.postgres.access import DatabaseAuditLog, DatabasePin

    env = {**os.environ, "KIOSK_DATABASE_URL": pg_url}
    done = subprocess.run([sys.executable, "-m", "kiosk", "set-pin", "--data-dir",
                           str(tmp_path / "one")], input="97531\n", text=True,
                          capture_output=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert "Staff PIN set for postgresql://kiosk_admin:***@" in done.stdout
    assert DatabasePin(pg_url).check("97531").ok
    assert not (tmp_path / "one" / "staff_pin.json").exists(), "not in the folder"
    made = kiosk(tmp_path / "k", pg_url, FakeClock(FIXED_NOW))
    checkin_id = made.store.add(checkin("Ula"))
    made.deliver()
    done = subprocess.run([sys.executable, "-m", "kiosk", "erase", checkin_id, "--yes",
                           "--data-dir", str(tmp_path / "two")], text=True,
                          capture_output=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert [e["action"] for e in DatabaseAuditLog(pg_url).entries()][-1] == "erase"
    assert not (tmp_path / "two" / "audit.jsonl").exists()


async def test_the_desk_signs_in_with_the_shared_pin_and_fails_closed_without_the_database(
    settings: Settings, server: Server, pg_url: str,
) -> None:
    from dataclasses import replace

    from kiosk.store.postgres.access import DatabasePin
    from screens.staff_app import StaffApp
    from tests.support.staff import CONTENT, enter_pin, pin_message
    from tests.support.visit import wait_for, wait_for_screen

    DatabasePin(pg_url).set("8642")
    desk = replace(settings, database_url=pg_url)
    app = StaffApp(desk, CONTENT, FakeClock(FIXED_NOW), signed_in=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, "pin-pad")
        await enter_pin(pilot, "8642")
        await wait_for_screen(pilot, "staff")
    app.store.close()  # type: ignore[attr-defined]
    app = StaffApp(desk, CONTENT, FakeClock(FIXED_NOW), signed_in=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, "pin-pad")
        server.stop()
        try:
            await enter_pin(pilot, "8642")
            await wait_for(pilot, lambda: "can't be checked now" in pin_message(app),
                           "the pad failing closed")
            assert app.screen.id == "pin-pad"
        finally:
            server.start()
    app.store.close()  # type: ignore[attr-defined]


def test_a_damaged_ledger_is_moved_aside_and_everything_goes_once(
    tmp_path: Path, pg_url: str, clock: FakeClock,
) -> None:
    """Before: a ledger entry that wasn't a time stopped the delivery thread
    for good (a ValueError in erase_delivered). Now the file is moved aside,
    its bytes kept, and everything here is sent again: stored once."""
    delivery = kiosk(tmp_path / "kiosk", pg_url, clock)
    made = [delivery.store.add(checkin(f"V{n}")) for n in range(3)]
    assert delivery.deliver() == 3
    ledger = tmp_path / "kiosk" / "delivered.json"
    ledger.write_text(json.dumps({made[0]: "not a time"}))
    assert delivery.deliver() == 3, "sent again"
    assert sorted(row[0] for row in rows(pg_url)) == sorted(made), "stored once"
    [aside] = (tmp_path / "kiosk").glob("delivered.json.corrupt-*")
    assert "not a time" in aside.read_text()
    assert delivery.report().waiting == 0


async def test_staff_on_a_kiosk_with_a_shared_database_are_sent_to_the_desk(
    settings: Settings, server: Server, pg_url: str, tmp_path: Path,
) -> None:
    """Before: Review on such a kiosk changed only its own folder: the
    database, every desk and the shared log still had the client, and an
    erasure asked for was never carried out. Now the kiosk's pad checks the
    shared PIN with the kiosk's role, and its menu offers no review: it says
    where check-ins are reviewed."""
    from dataclasses import replace

    from kiosk.store.postgres.access import DatabaseAuditLog, DatabasePin
    from kiosk.store.postgres.store import PostgresStore
    from screens.app import make_app
    from tests.support.staff import enter_pin, tap_clinic_name
    from tests.support.visit import MEDICAL_VISIT, answer_all, tap, wait_for, wait_for_screen

    _readme_roles(pg_url)
    name = pg_url.rsplit("/", 1)[1]
    device = server.url(name, user="kiosk_device", password="device-pw")
    staff = server.url(name, user="kiosk_staff", password="staff-pw")
    DatabasePin(staff).set("8642")
    app = make_app(replace(settings, database_url=device), clock=FakeClock(FIXED_NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_all(pilot, MEDICAL_VISIT)
        await tap(pilot, "#next")
        await wait_for_screen(pilot, "result")
        await app.back_to_welcome()
        await wait_for(pilot, lambda: len(PostgresStore(staff).all()) == 1, "delivered")
        await tap_clinic_name(pilot, 5)
        await wait_for_screen(pilot, "pin-pad")
        await enter_pin(pilot, "8642")
        await wait_for_screen(pilot, "staff-menu")
        assert not app.screen.query("#menu-review"), "no review of the kiosk's own copies"
        said = str(app.screen.query_one("#staff-menu-shared", Label).render())
        assert "at the front desk" in said and "kiosk staff" in said
        await pilot.press("r", "enter")
        assert app.screen.id in ("staff-menu", "welcome"), "nothing opens a review"
    desk = PostgresStore(staff)
    [record] = desk.all()
    assert record["status"] == "waiting", "the database and every desk agree: unchanged"
    assert app.store.get(record["id"])["status"] == "waiting", "and so does the kiosk's copy"
    assert ("kiosk_device", "sign-in-kiosk") in {
        (entry["role"], entry["action"]) for entry in DatabaseAuditLog(staff).entries()}
    desk.close()
