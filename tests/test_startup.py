"""Start-up and schema upgrades."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap

from store import Store


def test_opening_the_app_does_not_import_pandas(tmp_path):
    db = tmp_path / "s.db"
    Store(db).close()  # create and migrate first, as a returning user has
    code = textwrap.dedent(f"""
        import sys
        from store import Store
        from tui.app import DailyReachApp
        app = DailyReachApp(Store({str(db)!r}))
        heavy = [m for m in ("pandas", "sqlite_utils") if m in sys.modules]
        print(",".join(heavy) or "none")
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "none"


def test_database_from_first_schema_version_upgrades_without_loss(tmp_path):
    import sqlite_utils

    from store.schema import STEP_NAMES, build_migrations

    db_path = tmp_path / "old.db"
    db = sqlite_utils.Database(db_path)
    build_migrations().apply(db, stop_before="m002_queue_indexes")
    db.execute(
        "INSERT INTO contacts (name, phone, status_id, created_at, updated_at)"
        " VALUES ('Old Timer', '555-0100', 1, '2020-01-01', '2020-01-01')")
    db.conn.commit()
    db.close()

    store = Store(db_path)
    applied = [r[0] for r in store.conn.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
    assert applied == list(STEP_NAMES)
    indexes = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"contacts_call_queue", "contacts_email_queue"} <= indexes
    [c] = store.contacts()
    assert (c["name"], c["phone"], c["status_key"]) == ("Old Timer", "555-0100", "K")
    store.close()
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_opening_the_app_loads_neither_the_commands_nor_the_other_screens(tmp_path):
    db = tmp_path / "s.db"
    Store(db).close()
    code = textwrap.dedent(f"""
        import sys
        import tui.app
        def shown(self):  # instead of taking over the terminal: what was loaded
            print(",".join(m for m in ("click", "tui.cli", "pandas", "sqlite_utils", "store.importer",
                                       "store.formats", "tui.screens.contacts", "tui.screens.plan")
                           if m in sys.modules) or "none")
        tui.app.DailyReachApp.run = shown
        from tui.launch import main
        main(["--db", {str(db)!r}, "--today", "2026-12-03"])
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "none"


def test_app_options_alone_are_checked_as_the_commands_check_them(tmp_path):
    def launch(*args):
        return subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True,
                              text=True, timeout=60)

    for args, needle in [(("--db", str(tmp_path / "a.db"), "--today", "2026-02-30"),
                          "Invalid value for --today / DAILYREACH_TODAY: '2026-02-30' is not a date"),
                         (("--db", ""), "Invalid value for --db: needs a file path"),
                         (("--demo", "--db", str(tmp_path / "a.db")), "--demo uses its own"),
                         (("--db", str(tmp_path / "missing" / "a.db")), "does not exist")]:
        result = launch(*args)
        assert result.returncode != 0 and "Traceback" not in result.stderr
        assert needle in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "a.db").exists()
    assert "Usage" in launch("--help").stdout  # everything else is the full command line
