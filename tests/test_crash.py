"""A process killed (SIGKILL: no cleanup at all) in the middle of an import
leaves a database that passes PRAGMA integrity_check and holds all or none of
that import.

(Purge, backup and restore are other features; their crash tests follow the
same pattern.)
"""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store import Store
from store.importer import ImportReport, import_records

from conftest import TODAY, make_record

PROJECT = Path(__file__).resolve().parents[1]
ROWS = 20000


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("crash") / "big.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["Contact", "Company", "E-mail", "Phone", "ID/Status", "Last Reach", "Notes"])
        for i in range(ROWS):
            out.writerow([f"Crash Test{i}", f"Co {i % 40}", f"crash{i}@example.test",
                          f"555-{i:04d}", "Key Client", "03/01/2026", f"note {i}\nsecond line"])
    return path


def seed(db: Path) -> None:
    store = Store(db, today=TODAY)
    import_records(store, [
        make_record(i + 2, f"Old Friend{i}", status="Prospect", phone=f"555-9{i:03d}",
                    email=f"old{i}@x.test", reached=TODAY.replace(month=1)) for i in range(20)
    ], ImportReport(file="seed"))
    store.close()


def writer_busy(db: Path) -> bool:
    """True while another connection holds the write lock (the import's transaction)."""
    conn = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        conn.close()


def holds_open(pid: int, path: Path) -> bool:
    try:
        return any(os.path.realpath(fd) == str(path.resolve())
                   for fd in (f"/proc/{pid}/fd/{n}" for n in os.listdir(f"/proc/{pid}/fd")))
    except (FileNotFoundError, PermissionError):
        return False


def state(db: Path) -> dict:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # the search index agrees with the table it indexes
        conn.execute("INSERT INTO contacts_fts (contacts_fts) VALUES ('integrity-check')")
        return {
            "contacts": conn.execute("SELECT count(*) FROM contacts").fetchone()[0],
            "imported": conn.execute(
                "SELECT count(*) FROM contacts WHERE email LIKE 'crash%'").fetchone()[0],
            "activities": conn.execute("SELECT count(*) FROM activities").fetchone()[0],
            "due": conn.execute(
                "SELECT count(*) FROM contacts WHERE next_call_due IS NOT NULL").fetchone()[0],
            "pending": conn.execute("SELECT count(*) FROM contacts_fts_pending").fetchone()[0],
        }
    finally:
        conn.close()


def start_import(db: Path, csv_path: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DAILYREACH_")}
    env.update(DAILYREACH_DB=str(db), DAILYREACH_TODAY=TODAY.isoformat())
    return subprocess.Popen([sys.executable, "-m", "tui", "import", str(csv_path)], env=env,
                            cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


# when to kill: reading the file (before the write lock), and at three
# moments inside the write transaction
@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc")
@pytest.mark.parametrize("phase, delay", [("reading", 0.0), ("writing", 0.0),
                                          ("writing", 0.2), ("writing", 0.6)])
def test_sigkill_during_import_leaves_all_or_nothing(tmp_path, big_csv, phase, delay):
    db = tmp_path / "crash.db"
    seed(db)
    before = state(db)
    proc = start_import(db, big_csv)
    deadline = time.monotonic() + 120
    if phase == "reading":
        # the CLI opens the database, then reads and parses the whole file
        # before its write transaction: kill once the database is open
        while not holds_open(proc.pid, db):
            assert proc.poll() is None, proc.stderr.read()
            assert time.monotonic() < deadline
            time.sleep(0.005)
    else:
        while not writer_busy(db):
            assert proc.poll() is None, proc.stderr.read()
            assert time.monotonic() < deadline
            time.sleep(0.01)
        time.sleep(delay)
    mid_transaction = writer_busy(db)
    assert proc.poll() is None, "the import finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    assert mid_transaction == (phase == "writing"), "the kill missed the moment it aimed at"

    after = state(db)
    assert after["pending"] == 0
    # all or nothing: killed before COMMIT, the seed alone, untouched ...
    assert after == before, after
    # ... and the database is fully usable: an import after it completes
    small = tmp_path / "small.csv"
    small.write_text("Contact,E-mail,Phone,ID/Status,Last Reach\r\n"
                     "After Crash,crash-after@example.test,555-7777,Key Client,03/01/2026\r\n")
    proc = start_import(db, small)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    done = state(db)
    assert (done["contacts"], done["imported"]) == (21, 1)
    assert (done["activities"], done["due"]) == (before["activities"] + 1, before["due"] + 1)
