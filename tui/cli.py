"""The ``dailyreach`` command: opens the TUI, or runs one scripting command.

Every command honours ``--db``/``DAILYREACH_DB`` and ``--today``/
``DAILYREACH_TODAY``.  Errors are one line on stderr and a non-zero exit;
set ``DAILYREACH_DEBUG=1`` to see a traceback instead.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

import click

from store import CONTACT_FIELDS, Store, StoreError, default_db_path
from store.text import JSON_UNSAFE, clean

ENV_TODAY = "DAILYREACH_TODAY"


def _parse_day(value: str | None, what: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD", param_hint=what) from None


class Context:
    """What the group options resolve to; opens the store on first use."""

    def __init__(self, db: str | None, today: date | None, demo: bool):
        self.today = today
        self.demo = demo
        self._tmpdir: str | None = None
        if demo:
            self._tmpdir = tempfile.mkdtemp(prefix="dailyreach-demo-")
            self.db_path = Path(self._tmpdir) / "demo.db"
        else:
            self.db_path = Path(db).expanduser() if db else default_db_path()
        self._store: Store | None = None

    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self.db_path, today=self.today)
            if self.demo:
                from store.demo import build_demo

                build_demo(self._store)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
        if self._tmpdir:
            shutil.rmtree(self._tmpdir, ignore_errors=True)


def _echo_json(data) -> None:
    # Text is cleaned on import, but a database written by another program
    # may hold raw control characters: write those as \u escapes, so the data
    # stays exact and the terminal never receives them.
    text = json.dumps(data, ensure_ascii=False, indent=2)
    click.echo(JSON_UNSAFE.sub(_json_escape, text))


def _json_escape(match) -> str:
    units = match.group().encode("utf-16-be")
    return "".join(f"\\u{units[i]:02x}{units[i + 1]:02x}" for i in range(0, len(units), 2))


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", metavar="PATH", envvar="DAILYREACH_DB",
              help="Database file (default: the user data dir; env DAILYREACH_DB).")
@click.option("--today", metavar="YYYY-MM-DD", envvar=ENV_TODAY,
              help="Pretend today is this date (env DAILYREACH_TODAY).")
@click.option("--demo", is_flag=True,
              help="Use a throwaway database filled with fake demo contacts.")
@click.version_option(package_name="dailyreach")
@click.pass_context
def cli(ctx: click.Context, db: str | None, today: str | None, demo: bool) -> None:
    """dailyreach: classify your contacts with one key and work today's calls and e-mails.

    Without a command, opens today's queue in the terminal.
    """
    state = Context(db, _parse_day(today, "--today / DAILYREACH_TODAY"), demo)
    ctx.obj = state
    ctx.call_on_close(state.close)
    if ctx.invoked_subcommand is None:
        from tui.app import DailyReachApp

        app = DailyReachApp(state.store())
        app.run()


@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def import_cmd(state: Context, file: Path, as_json: bool) -> None:
    """Import an Act! "text delimited" export (comma or tab separated)."""
    from store import import_file

    report = import_file(state.store(), file)
    if as_json:
        _echo_json(report.as_dict())
        return
    click.echo(f"Imported {report.file} ({report.encoding}, {report.delimiter}-separated, "
               f"{report.rows} rows)")
    click.echo(f"  added:        {report.added}")
    click.echo(f"  merged:       {report.merged}")
    click.echo(f"  unclassified: {report.unclassified}")
    click.echo(f"  skipped:      {len(report.skipped)}")
    for line, reason in report.skipped:
        click.echo(f"    line {line}: {reason}")
    if report.unmapped_statuses:
        values = ", ".join(f"{_quote(raw)} ×{n}" for raw, n in report.unmapped_statuses.items())
        click.echo(f"  status values left unclassified: {values}")
    if report.extra_columns:
        click.echo(f"  kept as extra data: {', '.join(report.extra_columns)}")
    for line, message in report.warnings:
        click.echo(f"  warning: line {line}: {message}")


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _contact_json(contact: dict) -> dict:
    return {key: contact.get(key) for key in CONTACT_FIELDS}


@cli.command("contacts")
@click.option("--status", metavar="KEY", help="Only this status letter ('-' for unclassified).")
@click.option("--search", metavar="TEXT", help="Only contacts whose name, company, e-mail or phone contains TEXT.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.pass_obj
def contacts_cmd(state: Context, status: str | None, search: str | None, as_json: bool) -> None:
    """List contacts, sorted by last name."""
    rows = state.store().contacts(search=search, status=status)
    if as_json:
        _echo_json([_contact_json(c) for c in rows])
        return
    for c in rows:
        key = c["status_key"] or "?"
        click.echo(f"{c['id']:>6}  {key}  {clean(c['name']):<28.28}  {clean(c['company']):<24.24}  "
                   f"{clean(c['email'])}")
    click.echo(f"{len(rows)} contact(s)", err=True)


@cli.command("queue")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="The day to build the queue for (default today).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array in queue order.")
@click.pass_obj
def queue_cmd(state: Context, day: str | None, as_json: bool) -> None:
    """Due calls, then due e-mails, most important first."""
    store = state.store()
    when = _parse_day(day, "--date") or store.today()
    items = store.queue(when)
    if as_json:
        _echo_json([item.as_dict(when) for item in items])
        return
    for kind, title in (("call", "Calls"), ("email", "E-mails")):
        group = [i for i in items if i.kind == kind]
        click.echo(f"{title} due {when.isoformat()}: {len(group)}")
        for i in group:
            late = i.overdue_days(when)
            click.echo(f"  {i.contact_id:>6}  {i.status_key}  {clean(i.name):<28.28}  due {i.due.isoformat()}"
                       f"{f'  ({late} d late)' if late else ''}")


@cli.command("statuses")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.pass_obj
def statuses_cmd(state: Context, as_json: bool) -> None:
    """The status scheme and its contact plan."""
    statuses = state.store().statuses()
    if as_json:
        _echo_json([s.as_dict() for s in statuses])
        return
    for s in statuses:
        call = f"call every {s.call_days} d" if s.call_days else "no calls"
        mail = f"e-mail every {s.email_days} d" if s.email_days else "no e-mails"
        click.echo(f"{s.key}  {clean(s.name):<18} {call:<18} {mail}")


@cli.command("config")
@click.argument("key", required=False)
@click.argument("value", required=False)
@click.pass_obj
def config_cmd(state: Context, key: str | None, value: str | None) -> None:
    """Show all settings, show one (KEY), or change one (KEY VALUE).

    owner_name: your name, which labels the status for personal contacts
    (its first letter becomes that status's key).
    """
    store = state.store()
    if key is None:
        for name, current in store.settings().items():
            click.echo(f"{name} = {current}    # {store.SETTINGS[name]}")
        return
    if value is None:
        settings = store.settings()
        if key not in settings:
            raise StoreError(f"unknown setting {key!r} (known: {', '.join(settings)})")
        click.echo(settings[key])
        return
    store.set_setting(key, value)
    click.echo(f"{key} = {store.settings()[key]}")


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    try:
        cli.main(args=argv, prog_name="dailyreach", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("dailyreach: aborted", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except StoreError as exc:
        click.echo(f"dailyreach: error: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("dailyreach: interrupted; nothing was changed by the interrupted step", err=True)
        sys.exit(130)
    except Exception as exc:  # never show a traceback to a user
        if os.environ.get("DAILYREACH_DEBUG"):
            raise
        click.echo(f"dailyreach: unexpected error: {type(exc).__name__}: {exc} "
                   "(set DAILYREACH_DEBUG=1 for details)", err=True)
        sys.exit(1)
