"""The ``dailyreach`` entry point, and what the app and the commands share.

``dailyreach`` alone (with ``--db``, ``--today`` or ``--demo`` at most) opens
the app without loading the command-line machinery (click and the command
definitions, about 15 ms that the first frame would wait for); anything else
goes to :mod:`tui.cli`.  Both resolve the options the same way
(:class:`Context`, :func:`parse_day`) and turn errors into one line on stderr
and a non-zero exit (:func:`guarded`).
"""

from __future__ import annotations

import os
import sqlite3
import sys
from datetime import date
from pathlib import Path
from typing import Callable

from store import Store, StoreError, default_db_path
from store.text import clean

ENV_DB = "DAILYREACH_DB"
ENV_TODAY = "DAILYREACH_TODAY"
TODAY_HINT = "--today / DAILYREACH_TODAY"
DEMO_PREFIX = "dailyreach-demo-"


class OptionError(ValueError):
    """A bad value for an option: ``hint`` names the option."""

    def __init__(self, message: str, hint: str | None) -> None:
        super().__init__(message)
        self.hint = hint


def parse_day(value: str | None, what: str) -> date | None:
    """A YYYY-MM-DD option; None when not given.  Given but empty, or
    outside 1900–9000 (where the plan's arithmetic runs off the calendar),
    is an :class:`OptionError`."""
    if value is None:
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise OptionError(f"{value!r} is not a date in the form YYYY-MM-DD", what) from None
    if not 1900 <= day.year <= 9000:
        raise OptionError(f"{value!r} is out of range: use a year from 1900 to 9000", what)
    return day


class Context:
    """What the global options resolve to; opens the store on first use."""

    def __init__(self, db: str | None, today: date | None, demo: bool):
        self.today = today
        self.demo = demo
        self._tmpdir: str | None = None
        if demo:
            import tempfile

            _sweep_stale_demos()
            self._tmpdir = tempfile.mkdtemp(prefix=f"{DEMO_PREFIX}{os.getpid()}-")
            self.db_path = Path(self._tmpdir) / "demo.db"
        else:
            self.db_path = Path(db).expanduser() if db else default_db_path()
        # Only the default location may be created from nothing; a --db path
        # whose folder is missing is more likely a typo than a wish.
        self.make_dirs = demo or not db
        self._store: Store | None = None

    def store(self, *, create: bool = True) -> Store:
        """The open store.  With ``create=False`` (read-only commands) a
        database that does not exist yet is an error, not a new empty file."""
        if self._store is None:
            if not self.db_path.exists() or (self.db_path.is_file()
                                             and self.db_path.stat().st_size == 0 and not create):
                if not create and not self.demo:
                    raise StoreError(
                        f"no database at {self.db_path} yet: import contacts with "
                        "'dailyreach import FILE' (or check --db / DAILYREACH_DB)")
                if not self.make_dirs and not self.db_path.parent.is_dir():
                    raise StoreError(f"cannot create {self.db_path}: the folder "
                                     f"{self.db_path.parent} does not exist")
            self._store = Store(self.db_path, today=self.today)
            if self.demo:
                from store.demo import build_demo

                build_demo(self._store)
        return self._store

    def discard(self) -> None:
        """Close and delete the database this run created."""
        if self._store is not None:
            self._store.close()
            self._store = None
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.db_path}{suffix}").unlink(missing_ok=True)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
        if self._tmpdir:
            import shutil

            shutil.rmtree(self._tmpdir, ignore_errors=True)


def _sweep_stale_demos() -> None:
    """Remove demo folders left by a demo whose process is gone (a closed
    terminal kills it before it can clean up)."""
    import shutil
    import tempfile

    for folder in Path(tempfile.gettempdir()).glob(f"{DEMO_PREFIX}*"):
        try:
            pid = int(folder.name[len(DEMO_PREFIX):].split("-", 1)[0])
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (ValueError, PermissionError, OSError):
            continue


def run_app(state: Context) -> None:
    """Open the app on the context's database; a problem it met is raised
    as a StoreError once the terminal is back."""
    from tui.app import DailyReachApp

    app = DailyReachApp(state.store())
    app.run()
    if app.fatal_error:
        raise StoreError(app.fatal_error)


def say_error(message: str) -> None:
    sys.stderr.write(f"dailyreach: error: {clean(message)}\n")


def guarded(run: Callable[[], None]) -> None:
    """Run ``run``; any problem becomes one line on stderr and an exit code,
    never a traceback (``DAILYREACH_DEBUG=1`` shows unexpected ones)."""
    try:
        run()
    except StoreError as exc:
        say_error(str(exc))
        sys.exit(1)
    except sqlite3.DatabaseError as exc:
        if "readonly" in str(exc) or "read-only" in str(exc):
            say_error("the database cannot be written: its file or folder is read-only for you "
                      f"({exc}); nothing was changed")
        else:
            say_error(f"the database cannot be read ({exc})")
        sys.exit(1)
    except OSError as exc:  # a folder that cannot be entered, a full disk...
        where = f" {exc.filename}" if exc.filename else ""
        say_error(f"cannot use{where}: {exc.strerror or exc}")
        sys.exit(1)
    except KeyboardInterrupt:
        sys.stderr.write("dailyreach: interrupted; nothing was changed by the interrupted step\n")
        sys.exit(130)
    except Exception as exc:  # never show a traceback to a user
        if os.environ.get("DAILYREACH_DEBUG"):
            raise
        sys.stderr.write(f"dailyreach: unexpected error: {type(exc).__name__}: {clean(str(exc))} "
                         "(set DAILYREACH_DEBUG=1 for details)\n")
        sys.exit(1)


def _app_options(args: list[str]) -> tuple[str | None, str | None, bool, bool] | None:
    """(db, today, demo, db given on the command line) when ``args`` only
    open the app; None for anything else (a command, --help, --version...)."""
    db = os.environ.get(ENV_DB)
    today = os.environ.get(ENV_TODAY)
    demo = db_given = False
    i = 0
    while i < len(args):
        arg = args[i]
        name, eq, value = arg.partition("=")
        if arg == "--demo":
            demo = True
        elif name in ("--db", "--today"):
            if not eq:
                if i + 1 >= len(args):
                    return None  # let the full parser say what is missing
                i += 1
                value = args[i]
            if name == "--db":
                db, db_given = value, True
            else:
                today = value
        else:
            return None
        i += 1
    return db, today, demo, db_given


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    args = sys.argv[1:] if argv is None else list(argv)
    options = _app_options(args)
    if options is None:
        from tui.cli import main as cli_main

        cli_main(args)
        return
    db, today, demo, db_given = options

    def run() -> None:
        if db == "" and db_given:
            raise OptionError("needs a file path", "--db")
        if demo and db and db_given:
            raise OptionError("--demo uses its own throwaway database; leave out --db", None)
        if today == "":
            raise OptionError("needs a date in the form YYYY-MM-DD", TODAY_HINT)
        state = Context(db or None, parse_day(today, TODAY_HINT), demo)
        try:
            run_app(state)
        finally:
            state.close()

    def checked() -> None:
        try:
            run()
        except OptionError as exc:
            # worded as the command line's own errors
            what = f"Invalid value for {exc.hint}: {exc}" if exc.hint else str(exc)
            say_error(f"{what} (see dailyreach --help)")
            sys.exit(2)

    guarded(checked)
