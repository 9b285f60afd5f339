"""The data layer stays light: no UI imports, no heavy imports on a migrated database.
Also: opening something that is not a dailyreach database fails cleanly."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from store import Store, StoreError

PROJECT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 12, 3)

UI = ("textual", "rich", "tui")
HEAVY = ("pandas", "sqlite_utils")


def _modules_after(code: str) -> set[str]:
    """Run ``code`` in a fresh interpreter from the project root; return its sys.modules."""
    script = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT, capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def _loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in names)


def test_importing_store_does_not_import_the_ui():
    modules = _modules_after("import store")
    assert "store" in modules  # the check really ran
    assert _loaded(modules, UI) == []


def test_using_the_store_does_not_import_the_ui(tmp_path):
    db = tmp_path / "ui.db"
    modules = _modules_after(
        "from datetime import date\n"
        "import store\n"
        f"s = store.Store({str(db)!r}, today=date(2026, 12, 3))\n"
        "s.queue(); s.contacts(); s.statuses()\n"
    )
    assert _loaded(modules, UI) == []


def test_migrated_database_opens_without_pandas_or_sqlite_utils(tmp_path):
    db = tmp_path / "migrated.db"
    Store(db, today=TODAY).close()  # create and migrate it here
    modules = _modules_after(
        "from datetime import date\n"
        "import store\n"
        f"s = store.Store({str(db)!r}, today=date(2026, 12, 3))\n"
        "s.statuses(); s.queue(); s.contacts(); s.count_contacts()\n"
        "s.close()\n"
    )
    assert "store.db" in modules
    assert _loaded(modules, HEAVY) == []
    assert _loaded(modules, UI) == []


def test_text_file_is_not_a_database(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello world\n" * 200)
    with pytest.raises(StoreError) as info:
        Store(path, today=TODAY)
    assert "notes.txt" in str(info.value)


def test_foreign_sqlite_database_is_refused_untouched(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE things (a)")
    conn.execute("INSERT INTO things VALUES (1)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError):
        Store(path, today=TODAY)
    conn = sqlite3.connect(path)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    conn.close()
    assert tables == ["things"]


def test_directory_is_not_a_database(tmp_path):
    with pytest.raises(StoreError):
        Store(tmp_path, today=TODAY)
