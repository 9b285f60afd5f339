"""The database and its WAL files are readable by their owner only, whatever
the umask; a directory we create for them is the owner's only too.

(Backups and exports are written by other features; their own tests hold
them to the same rule.)
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from store import Store

from conftest import TODAY


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextmanager
def umask(value: int):
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.parametrize("mask", [0o000, 0o022, 0o002])
def test_new_database_wal_and_shm_are_owner_only(tmp_path, mask):
    db = tmp_path / "new" / "dailyreach.db"
    with umask(mask):
        store = Store(db, today=TODAY)
        store.set_owner_name("Max")  # a write, so the WAL holds something
        wal, shm = Path(f"{db}-wal"), Path(f"{db}-shm")
        assert wal.exists() and shm.exists()
        assert mode(db.parent) == 0o700
        assert (mode(db), mode(wal), mode(shm)) == (0o600, 0o600, 0o600)
        # a second connection (another window) keeps them as they are
        other = Store(db, today=TODAY)
        other.set_owner_name("Mo")
        other.close()
        store.close()
    assert mode(db) == 0o600


def test_cli_creates_the_default_database_owner_only(tmp_path):
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DAILYREACH_", "XDG_"))}
    env["HOME"] = str(home)
    env["DAILYREACH_TODAY"] = TODAY.isoformat()
    result = subprocess.run([sys.executable, "-m", "tui", "config", "owner_name", "Mo"], env=env,
                            capture_output=True, text=True, timeout=120,
                            preexec_fn=lambda: os.umask(0))
    assert result.returncode == 0, result.stderr
    db = home / ".local" / "share" / "dailyreach" / "dailyreach.db"
    assert db.exists()
    assert (mode(db.parent), mode(db)) == (0o700, 0o600)
    # no file next to it is readable by others either
    for path in db.parent.iterdir():
        assert mode(path) & 0o077 == 0, path


def test_opening_a_database_others_could_read_makes_it_owner_only(tmp_path):
    db = tmp_path / "shared.db"
    Store(db, today=TODAY).close()
    os.chmod(db, 0o644)
    store = Store(db, today=TODAY)
    store.set_owner_name("Mo")  # a write: the WAL and shared-memory files exist
    assert (mode(db), mode(Path(f"{db}-wal")), mode(Path(f"{db}-shm"))) == (0o600, 0o600, 0o600)
    store.close()
