"""The ``dailyreach`` command: opens the TUI, or runs one scripting command.

Every command honours ``--db``/``DAILYREACH_DB`` and ``--today``/
``DAILYREACH_TODAY``.  Errors are one line on stderr and a non-zero exit;
set ``DAILYREACH_DEBUG=1`` to see a traceback instead.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from store import CONTACT_FIELDS, Store, StoreError
from store.text import JSON_UNSAFE, clean

from .launch import ENV_DB, ENV_TODAY, TODAY_HINT, Context, OptionError, guarded, parse_day, run_app

def _parse_day(value: str | None, what: str) -> date | None:
    try:
        return parse_day(value, what)
    except OptionError as exc:
        raise click.BadParameter(str(exc), param_hint=exc.hint) from None


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
    from click.core import ParameterSource

    if db is not None and not db.strip():
        # (an empty DAILYREACH_DB counts as unset, as shells treat it; one of
        # spaces is a mistake: it would name a file called " ")
        if ctx.get_parameter_source("db") == ParameterSource.COMMANDLINE:
            raise click.BadParameter("needs a file path", param_hint="--db")
        if db:
            raise click.BadParameter(f"{db!r} is no file path: unset it or name the database "
                                     "file", param_hint=ENV_DB)
    if demo and db and ctx.get_parameter_source("db") == ParameterSource.COMMANDLINE:
        raise click.UsageError("--demo uses its own throwaway database; leave out --db")
    if today == "":
        raise click.BadParameter("needs a date in the form YYYY-MM-DD", param_hint=TODAY_HINT)
    state = Context(db, _parse_day(today, TODAY_HINT), demo)
    ctx.obj = state
    ctx.call_on_close(state.close)
    if ctx.invoked_subcommand is None:
        run_app(state)


FORMAT_CHOICES = ("auto", "act", "outlook", "google", "thunderbird", "linkedin", "csv", "xlsx", "vcard")


def _some(items: list[str], shown: int = 20) -> str:
    """A list for one summary line: the first ``shown``, then how many more
    (a sheet with a cell in its last column has 16,000 extra columns)."""
    more = len(items) - shown
    return ", ".join(items[:shown]) + (f" … and {more:,} more (--json lists them all)"
                                       if more > 0 else "")


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMAT_CHOICES, case_sensitive=False),
              default="auto", show_default=True,
              help="File format; detected from the content unless given.")
@click.option("--encoding", metavar="NAME", help="Text encoding (utf-8, cp1252, latin-1, utf-16...); "
              "detected unless given.")
@click.option("--sheet", metavar="NAME", help="Excel: the sheet to read, by name or number (default: the first).")
@click.option("--map", "mapping", metavar="'HEADER=FIELD'", multiple=True,
              help="Feed a column to a field, e.g. --map 'Cell=mobile' (repeatable; FIELD 'extra' "
                   "keeps it as extra data). Fields: see README.")
@click.option("--date-order", type=click.Choice(["mdy", "dmy"]),
              help="Read dates like 03/04/2021 as month/day (mdy) or day/month (dmy); "
                   "decided from the file's dates unless given.")
@click.option("--status", "status_pairs", metavar="'RAW=KEY'", multiple=True,
              help="Classify a raw status value, e.g. --status 'Prosp.=p' (remembered for later "
                   "imports; 'Prosp.=-' leaves it unclassified and forgets it).")
@click.option("--dry-run", is_flag=True, help="Report what the import would do; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def import_cmd(state: Context, file: Path, fmt: str, encoding: str | None, sheet: str | None,
               mapping: tuple[str, ...], date_order: str | None, status_pairs: tuple[str, ...],
               dry_run: bool, as_json: bool) -> None:
    """Import contacts: Act!, Outlook, Google, Thunderbird or LinkedIn CSV, any CSV/TSV,
    Excel .xlsx, or vCard (.vcf). All or nothing."""
    from store import import_file
    from store.formats import ReadOptions, parse_map_option
    from store.records import MAX_MESSAGES as MAX_LISTED

    statuses: dict[str, str | None] = {}
    for pair in status_pairs:
        raw, sep, key = pair.rpartition("=")
        if not sep or not raw.strip():
            raise StoreError(f"--status {pair!r}: expected 'Raw value=KEY'")
        key = key.strip()
        # '-' (or '?', or nothing): leave unclassified, and forget a remembered mapping
        statuses[raw] = None if key in ("", "-", "?") else key
    options = ReadOptions(format=fmt, encoding=encoding, sheet=sheet,
                          mapping=parse_map_option(mapping), date_order=date_order,
                          status_map=statuses)
    new_db = not state.db_path.exists()
    if dry_run and new_db:
        # nothing to compare with, and nothing may be written: an empty
        # database in a temporary folder stands in for the one not yet made
        import tempfile

        with tempfile.TemporaryDirectory(prefix="dailyreach-dry-run-") as tmp:
            with Store(Path(tmp) / "dry-run.db", today=state.today) as scratch:
                report = import_file(scratch, file, options, dry_run=True)
    else:
        try:
            INTERRUPTED["note"] = "nothing was imported"  # Ctrl-C's message, see main()
            report = import_file(state.store(), file, options, dry_run=dry_run)
        except BaseException:
            if new_db:  # a failed first import leaves no empty database behind
                state.discard()
            raise
    if as_json:
        _echo_json(report.as_dict())
        return
    from store.formats import FORMAT_NAMES

    how = [FORMAT_NAMES.get(report.format, report.format)]
    if report.sheet:
        how.append(f"sheet {_quote(report.sheet)}")
    elif report.encoding:
        how.append(report.encoding)
    if report.delimiter:
        how.append(f"{report.delimiter}-separated")
    verb = "Would import" if dry_run else "Imported"
    click.echo(f"{verb} {report.file} ({', '.join(how)}, {_plural(report.rows, 'row')}"
               f"{', dry run: nothing written' if dry_run else ''})")
    click.echo(f"  added:        {report.added}")
    click.echo(f"  merged:       {report.merged}")
    click.echo(f"  unchanged:    {report.unchanged}")
    click.echo(f"  unclassified: {report.unclassified} "
               f"({report.no_status} with no status, "
               f"{report.unclassified - report.no_status} with a status not in your list)")
    skipped = max(report.skipped_total, len(report.skipped))
    click.echo(f"  skipped:      {skipped}")
    for line, reason in report.skipped[:SHOWN_WARNINGS]:
        click.echo(f"    line {line}: {reason}")
    if skipped > SHOWN_WARNINGS:
        click.echo(f"    … and {skipped - SHOWN_WARNINGS:,} more: --json lists "
                   f"{'them' if skipped <= MAX_LISTED else f'the first {MAX_LISTED:,}'}")
    if report.unmapped_statuses:
        values = _some([f"{_quote(raw)} ×{n}" for raw, n in report.unmapped_statuses.items()])
        click.echo(f"  status values left unclassified: {values}")
    if report.extra_columns:
        click.echo(f"  kept as extra data: {_some(report.extra_columns)}")
    for note in report.notes:
        click.echo(f"  note: {note}")
    for line, message in report.warnings[:SHOWN_WARNINGS]:
        click.echo(f"  warning: line {line}: {message}")
    hidden = max(report.warnings_total, len(report.warnings)) - SHOWN_WARNINGS
    if hidden > 0:
        click.echo(f"  … and {hidden:,} more warning(s): --json lists "
                   f"{'them' if report.warnings_total <= MAX_LISTED else f'the first {MAX_LISTED:,}'}")


SHOWN_WARNINGS = 20  # on the terminal; --json lists up to store.records.MAX_MESSAGES


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _contact_json(contact: dict) -> dict:
    return {key: contact.get(key) for key in CONTACT_FIELDS}


@cli.command("contacts")
@click.option("--status", metavar="KEY", help="Only this status letter ('-' for unclassified).")
@click.option("--status2", metavar="VALUE", help="Only this status 2 value ('-' for none).")
@click.option("--owner", metavar="NAME", help="Only this owner, whole name in any case ('-' for none).")
@click.option("--due", type=click.Choice(["today", "overdue"]),
              help="Only contacts with a call or e-mail due (today or earlier) or overdue.")
@click.option("--search", metavar="TEXT", help="Only contacts whose name, company, e-mail or phone contains TEXT.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.pass_obj
def contacts_cmd(state: Context, status: str | None, status2: str | None, owner: str | None,
                 due: str | None, search: str | None, as_json: bool) -> None:
    """List contacts, sorted by last name."""
    if status is not None and not status.strip():
        raise click.BadParameter("needs a status letter, or - for unclassified", param_hint="--status")
    rows = state.store(create=False).contacts(search=search, status=status, status2=status2,
                                              owner=owner, due=due)
    if as_json:
        _echo_json([_contact_json(c) for c in rows])
        return
    for c in rows:
        key = c["status_key"] or "?"
        click.echo(f"{c['id']:>6}  {key}  {_cut(c['name'], 26)}  {_cut(c['company'], 22)}  "
                   f"{_cut(c['phone'], 16)}  {clean(c['email'])}")
    click.echo(f"{len(rows):,} contact{'s' if len(rows) != 1 else ''}", err=True)


def _cut(value: str | None, width: int) -> str:
    """Cleaned text cut or padded to ``width`` terminal cells (wide CJK and
    emoji count double)."""
    from rich.cells import cell_len, set_cell_size

    text = clean(value)
    if cell_len(text) > width:
        text = set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


@cli.command("queue")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="The day to build the queue for (default today).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array in queue order.")
@click.pass_obj
def queue_cmd(state: Context, day: str | None, as_json: bool) -> None:
    """Due calls, then due e-mails, most important first."""
    store = state.store(create=False)
    when = _parse_day(day, "--date") or store.today()
    items = store.queue(when)
    if as_json:
        _echo_json([item.as_dict(when) for item in items])
        return
    for kind, title in (("call", "Calls"), ("email", "E-mails")):
        group = [i for i in items if i.kind == kind]
        deferred = sum(i.deferred for i in group)
        extra = f" ({len(group) - deferred} for the day, {deferred} deferred)" if deferred else ""
        click.echo(f"{title} due {when.isoformat()}: {len(group)}{extra}")
        for i in group:
            late = i.overdue_days(when)
            reach = i.phone if kind == "call" else i.email
            status = (f"never {'reached' if kind == 'call' else 'e-mailed'}" if i.last_done is None
                      else f"{late} d late" if late else "due today")
            if i.attempts:
                status += f", {i.attempts} attempt{'s' if i.attempts != 1 else ''}"
            if i.deferred:
                status += (f", deferred to {i.planned.isoformat()}" if i.planned
                           else ", deferred beyond a year")
            click.echo(f"  {i.contact_id:>6}  {i.status_key}  {_cut(i.name, 24)}  {_cut(i.company, 20)}  "
                       f"{_cut(reach, 24)}  due {i.due.isoformat()}  {status}")


@cli.command("statuses")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.pass_obj
def statuses_cmd(state: Context, as_json: bool) -> None:
    """The status scheme and its contact plan."""
    if state.db_path.exists() or state.demo:
        statuses = state.store(create=False).statuses()
    else:  # no database yet: the list a new one starts with, creating nothing
        from store.scheme import default_statuses

        statuses = default_statuses()
        click.echo(f"no database at {state.db_path} yet: this is the default list", err=True)
    if as_json:
        _echo_json([s.as_dict() for s in statuses])
        return
    for s in statuses:
        call = f"call every {s.call_days} d" if s.call_days else "no calls"
        mail = f"e-mail every {s.email_days} d" if s.email_days else "no e-mails"
        click.echo(f"{s.key}  {clean(s.name):<18} {call:<18} {mail}")


@cli.command("config", context_settings={"ignore_unknown_options": True})
@click.argument("key", required=False)
@click.argument("value", required=False)
@click.pass_obj
def config_cmd(state: Context, key: str | None, value: str | None) -> None:
    """Show all settings, show one (KEY), or change one (KEY VALUE).

    \b
    owner_name      your name; labels the status for personal contacts
    calls_per_day   calls you can make in a day ("" = no limit)
    emails_per_day  e-mails you can write in a day ("" = no limit)
    working_days    e.g. mon-fri, or mon-thu,sat
    retry_days      days before an unanswered call or bounced e-mail returns
    phone_region    two-letter country code for numbers without +country
    email_subject   subject of the e-mail template
    email_template  body of the e-mail template ({first_name} {name} ...)
    """
    store = state.store()
    if key is None:
        for name, current in store.settings().items():
            shown = json.dumps(current, ensure_ascii=False) if "\n" in current else current
            click.echo(f"{name} = {shown}    # {store.SETTINGS[name]}")
        return
    if value is None:
        settings = store.settings()
        if key not in settings:
            raise StoreError(f"unknown setting {key!r} (known: {', '.join(settings)})")
        click.echo(settings[key])
        return
    store.set_setting(key, value)
    click.echo(f"{key} = {store.settings()[key]}")

# ---------------------------------------------------------------- statuses by script
def _contact(store, contact_id: int) -> dict:
    return store.contact(contact_id)


@cli.command("set-status")
@click.argument("contact_id")
@click.argument("key")
@click.pass_obj
def set_status_cmd(state: Context, contact_id: str, key: str) -> None:
    """Give contact CONTACT_ID the status with letter KEY ('-' unclassifies).

    Recorded in the contact's history like a key press in the app, and
    undone by 'dailyreach undo'."""
    store = state.store(create=False)
    contact_id = _contact_id(contact_id)
    contact = _contact(store, contact_id)
    new = None if key.strip() in ("-", "?") else store.status_by_key(key.strip()).key
    changes = store.set_status([contact_id], new, source="cli")
    target = store.status_by_key(new).name if new else "unclassified"
    if not changes:
        click.echo(f"{clean(contact['name'])} is already {target}")
        return
    click.echo(f"{clean(contact['name'])}: {clean(contact['status']) or 'unclassified'} → {target}")


@cli.command("set-status2")
@click.argument("contact_id")
@click.argument("value")
@click.pass_obj
def set_status2_cmd(state: Context, contact_id: str, value: str) -> None:
    """Give contact CONTACT_ID the status 2 VALUE (its name or letter; '-' clears it)."""
    store = state.store(create=False)
    contact_id = _contact_id(contact_id)
    contact = _contact(store, contact_id)
    entry = store.status2_lookup(value)
    changes = store.set_status2([contact_id], value, source="cli")
    target = entry.name if entry else "none"
    if not changes:
        click.echo(f"{clean(contact['name'])} already has status 2 {clean(target)}")
        return
    click.echo(f"{clean(contact['name'])}: status 2 {clean(contact['status2']) or 'none'} → "
               f"{clean(target)}")


@cli.command("undo")
@click.argument("change_id", type=click.IntRange(min=1, max=2**63 - 1), required=False)
@click.pass_obj
def undo_cmd(state: Context, change_id: int | None) -> None:
    """Undo the last recorded status or status 2 change (or CHANGE_ID from
    'dailyreach changes'), even one made in an earlier session.  Repeat to
    go further back."""
    result = state.store(create=False).undo(change_id, source="cli")
    click.echo(f"Undone: {clean(result.label)} (made {result.at.replace('T', ' ')}): "
               f"{result.reverted} contact(s) reverted")
    if result.skipped:
        click.echo(f"  {result.skipped} contact(s) changed since were left as they are")


@cli.command("changes")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1, max=2**63 - 1),
              help="How many to list.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.pass_obj
def changes_cmd(state: Context, limit: int, as_json: bool) -> None:
    """The latest recorded status changes, newest first (ids for 'undo')."""
    batches = state.store(create=False).batches(limit)
    if as_json:
        _echo_json([{"id": b.id, "at": b.at, "label": b.label, "source": b.source,
                     "contacts": b.contacts, "undone": b.undone} for b in batches])
        return
    for b in batches:
        flag = "  (undone)" if b.undone else ""
        click.echo(f"{b.id:>6}  {b.at.replace('T', ' ')}  {b.source:<7} {clean(b.label)}{flag}")


@cli.group("status2", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print the list as a JSON array.")
@click.pass_context
def status2_cmd(ctx: click.Context, as_json: bool) -> None:
    """The status 2 list (industry, source, region...): show it, or change
    it with add / rename / remove.  First letters must be unique: Shift+letter
    sets the value in the app."""
    if ctx.invoked_subcommand is not None:
        return
    store = ctx.obj.store(create=False)
    values = store.status2_values()
    if as_json:
        _echo_json([{**v.as_dict(), "contacts": store.count_contacts(status2=v.name)}
                    for v in values])
        return
    if not values:
        click.echo("The status 2 list is empty; add a value with: dailyreach status2 add NAME")
    for v in values:
        n = store.count_contacts(status2=v.name)
        click.echo(f"{v.key}  {clean(v.name):<24} {n:>7,} contact{'s' if n != 1 else ''}")


@status2_cmd.command("add")
@click.argument("name")
@click.pass_obj
def status2_add(state: Context, name: str) -> None:
    """Add NAME to the status 2 list."""
    entry = state.store().add_status2(name)
    click.echo(f"added {entry.key}  {clean(entry.name)}")


@status2_cmd.command("rename")
@click.argument("old")
@click.argument("new")
@click.pass_obj
def status2_rename(state: Context, old: str, new: str) -> None:
    """Rename OLD (name or letter) to NEW; contacts carrying it follow."""
    entry = state.store().rename_status2(old, new)
    click.echo(f"renamed to {entry.key}  {clean(entry.name)}")


@status2_cmd.command("remove")
@click.argument("name")
@click.option("--clear", is_flag=True, help="Also clear it on the contacts that have it.")
@click.pass_obj
def status2_remove(state: Context, name: str, clear: bool) -> None:
    """Remove NAME (name or letter) from the status 2 list."""
    cleared = len(state.store().remove_status2(name, clear=clear, source="cli"))
    click.echo(f"removed{f'; cleared on {cleared:,} contact(s)' if cleared else ''}")


# ---------------------------------------------------------------- the breakdown
@cli.command("report")
@click.option("--by", "by", default="status", show_default=True, metavar="FIELDS",
              help="status, status2 or owner, or two of them joined by a comma (status,status2).")
@click.option("--json", "as_json", is_flag=True, help="Print the rows as a JSON array.")
@click.option("--csv", "csv_path", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the rows to a CSV file.")
@click.option("--xlsx", "xlsx_path", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write them to an Excel workbook (with a pivot sheet for two fields).")
@click.option("--force", is_flag=True, help="Replace the CSV / XLSX file if it exists.")
@click.pass_obj
def report_cmd(state: Context, by: str, as_json: bool, csv_path: Path | None,
               xlsx_path: Path | None, force: bool) -> None:
    """The breakdown: how many contacts per status (status 2, owner...), with percentages."""
    from store.breakdown import parse_by

    fields = parse_by(by)
    rows = state.store(create=False).breakdown(fields)
    if csv_path or xlsx_path:
        from store.export import write_private
        from tui.report import csv_bytes, xlsx_bytes

        # both files are checked before either is written
        if csv_path and xlsx_path and csv_path.resolve() == xlsx_path.resolve():
            raise StoreError(f"--csv and --xlsx both name {csv_path}: give each its own file")
        for option, path, suffix in (("--csv", csv_path, ".csv"), ("--xlsx", xlsx_path, ".xlsx")):
            if path and path.suffix.lower() != suffix:
                # a CSV under an .xlsx name would not open in Excel, and the reverse
                raise StoreError(f"{option} {path}: the file name must end in {suffix}")
        for path in (csv_path, xlsx_path):
            if path and (path.exists() or path.is_symlink()) and not force:
                raise StoreError(f"{path} already exists; choose another name or add --force "
                                 "to replace it")
        if csv_path:
            write_private(csv_path, csv_bytes(rows, fields), force=force)
        if xlsx_path:
            write_private(xlsx_path, xlsx_bytes(rows, fields), force=force)
    if as_json:
        _echo_json(rows)
        return
    total = sum(r["count"] for r in rows)
    biggest = max((r["count"] for r in rows), default=0)
    for r in rows:
        label = "  ".join(_cut(_label(r, f), 20) for f in fields)
        bar = "█" * max(1, round(24 * r["count"] / biggest)) if r["count"] else ""
        click.echo(f"{label}  {r['count']:>7,}  {r['percent']:>5.1f}%  {bar}")
    click.echo(f"{total:,} contacts", err=True)
    for path in (csv_path, xlsx_path):
        if path:
            click.echo(f"wrote {path}", err=True)


def _label(row: dict, field: str) -> str:
    if field == "status":
        return f"{row['status_key']} {row['status']}" if row["status_key"] else "? unclassified"
    return row[field] if row[field] is not None else "(none)"


# ---------------------------------------------------------------- backups
@cli.command("backup")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def backup_cmd(state: Context, file: Path | None) -> None:
    """Write a verified backup of the database to FILE (default: a dated
    file in the 'backups' folder beside the database)."""
    result = state.store(create=False).backup(file)
    click.echo(f"backup written and verified: {result.path} "
               f"({result.contacts:,} contacts, {result.activities:,} history rows)")


@cli.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--backup-dir", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="Where to back up the current database first (default: 'backups' beside it).")
@click.pass_obj
def restore_cmd(state: Context, file: Path, backup_dir: Path | None) -> None:
    """Replace the database with the backup FILE, after backing up the current one.

    With no database yet (a new machine), the backup becomes the database."""
    fresh = not state.db_path.exists() or state.db_path.stat().st_size == 0
    try:
        store = state.store()
    except StoreError as exc:
        # a damaged database, or one of a newer version, is what a restore is
        # often for; it is never moved or overwritten without being asked
        raise StoreError(f"{exc}. To put the backup in its place, move that file away first "
                         f"(e.g. mv '{state.db_path}' '{state.db_path}.old'), then run restore "
                         "again: with no database there, the backup becomes the database") from None
    result = store.restore(file, backup_dir=backup_dir, backup_current=not fresh)
    if result.backup is not None:
        click.echo(f"current database saved to {result.backup.path}")
    click.echo(f"restored {file}: {result.contacts:,} contacts, {result.activities:,} history rows")
    if result.late_interrupt:
        click.echo("Ctrl-C came while the backup was being copied in, too late to stop it: "
                   "the restore is complete", err=True)


@cli.command("purge")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--backup-dir", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="Where the backup goes (default: 'backups' beside the database).")
@click.pass_obj
def purge_cmd(state: Context, yes: bool, backup_dir: Path | None) -> None:
    """Delete the contacts marked Delete, with their history, after writing
    and verifying a backup.  If the backup fails nothing is deleted."""
    store = state.store(create=False)
    marked = store.marked_for_deletion()
    if not marked["contacts"]:
        click.echo("No contact is marked Delete; nothing to purge.")
        return
    where = backup_dir or store.backup_dir()
    if not yes:
        click.confirm(f"Delete {marked['contacts']:,} contact(s) marked Delete and their "
                      f"{marked['activities']:,} history row(s), after a backup to {where}?",
                      abort=True, err=True)
    result = store.purge(backup_dir=backup_dir, only=marked["ids"])
    if result.backup is None:
        click.echo("Nothing left to purge: the marked contacts were changed or deleted "
                   "elsewhere meanwhile.")
        return
    click.echo(f"backup written and verified: {result.backup.path}")
    click.echo(f"deleted {result.contacts:,} contact(s) and {result.activities:,} history row(s)")


#: The largest number SQLite stores as an integer (ids and counts beyond it cannot exist).
SQLITE_INT_MAX = 2**63 - 1


def _contact_id(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a contact id (a number; see "
                                 "'dailyreach contacts')", param_hint="CONTACT_ID") from None
    if number < 1:
        raise click.BadParameter(f"{value!r} is not a contact id", param_hint="CONTACT_ID")
    if number > SQLITE_INT_MAX:
        raise click.BadParameter(f"no contact has the id {value} (too large a number)",
                                 param_hint="CONTACT_ID")
    return number


OUTCOME_CHOICES = ("reached", "message", "no-answer", "wrong-number", "sent", "bounced")


@cli.command("log")
@click.argument("contact_id")
@click.argument("kind", type=click.Choice(["call", "email"]))
@click.option("--outcome", required=True, type=click.Choice(OUTCOME_CHOICES),
              help="call: reached, message, no-answer, wrong-number; email: sent, bounced.")
@click.option("--note", metavar="TEXT", help="A note kept with the outcome.")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="When it happened (default today).")
@click.option("--json", "as_json", is_flag=True, help="Print the contact's new dates as JSON.")
@click.pass_obj
def log_cmd(state: Context, contact_id: str, kind: str, outcome: str, note: str | None,
            day: str | None, as_json: bool) -> None:
    """Record a call or an e-mail and what came of it.

    A reached call restarts the call clock and a sent e-mail the e-mail
    clock; any other outcome is an attempt, which leaves the due date alone
    and brings the contact back after retry_days.
    """
    store = state.store(create=False)
    cid = _contact_id(contact_id)
    when = _parse_day(day, "--date")
    store.log_outcome(cid, kind, outcome, day=when, note=note)
    c = store.contact(cid)
    result = {"contact_id": cid, "name": c["name"], "kind": kind, "outcome": outcome,
              "date": (when or store.today()).isoformat(),
              "next_call_due": c["next_call_due"], "next_email_due": c["next_email_due"],
              "attempts": c[f"{kind}_attempts"], "held_until": c[f"{kind}_hold_until"]}
    if as_json:
        _echo_json(result)
        return
    due = c["next_call_due"] if kind == "call" else c["next_email_due"]
    line = f"{clean(c['name'])}: {kind} {outcome}; next {kind} due {due or 'never'}"
    if result["attempts"]:
        line += f"; {result['attempts']} attempt(s), back on {result['held_until']}"
    click.echo(line)


@cli.command("snooze")
@click.argument("contact_id")
@click.option("--days", type=int, metavar="N", help="Push by N days (1 or more).")
@click.option("--until", "until", metavar="YYYY-MM-DD", help="Push to this day (today brings it back).")
@click.option("--kind", type=click.Choice(["call", "email", "both"]), default="both",
              show_default=True, help="Which of the contact's items to push.")
@click.pass_obj
def snooze_cmd(state: Context, contact_id: str, days: int | None, until: str | None,
               kind: str) -> None:
    """Keep a contact out of the queue until a later day."""
    if (days is None) == (until is None):
        raise click.UsageError("give either --days N or --until YYYY-MM-DD")
    store = state.store(create=False)
    cid = _contact_id(contact_id)
    if days is not None:
        from store.plan import MAX_SNOOZE_DAYS

        if not 1 <= days <= MAX_SNOOZE_DAYS:
            raise click.BadParameter(f"{days} days: use 1 to {MAX_SNOOZE_DAYS}", param_hint="--days")
        from datetime import timedelta

        target = store.today() + timedelta(days=days)
    else:
        target = _parse_day(until, "--until")
    kinds = ["call", "email"] if kind == "both" else [kind]
    store.snooze(cid, target, kinds)
    click.echo(f"{clean(store.contact(cid)['name'])}: "
               f"{' and '.join('call' if k == 'call' else 'e-mail' for k in kinds)} "
               f"snoozed until {target.isoformat()}")


@cli.command("plan")
@click.option("--json", "as_json", is_flag=True, help="Print the rules, load and forecast as JSON.")
@click.option("--export", "export_to", metavar="FILE", type=click.Path(path_type=Path),
              help="Write the plan as a Markdown document to share.")
@click.option("--force", is_flag=True, help="With --export: replace FILE if it exists.")
@click.pass_obj
def plan_cmd(state: Context, as_json: bool, export_to: Path | None, force: bool) -> None:
    """The contact plan and what it costs per working day."""
    from store.plan import markdown

    store = state.store(create=False)
    report = store.plan_report()
    if export_to is not None:
        from store.export import write_private

        written = write_private(export_to, markdown(report, store.owner_name()).encode("utf-8"),
                                force=force)
        click.echo(f"Wrote the plan to {written}")
        return
    if as_json:
        _echo_json(report)
        return
    cap = report["capacity"]
    click.echo(f"Plan on {report['date']}, per working day ({cap['working_days']}):")
    click.echo(f"  {'':2} {'status':<20} {'call':>10} {'e-mail':>10} {'contacts':>9} "
               f"{'calls/d':>8} {'e-mails/d':>9}")
    for r in report["rules"]:
        call = f"{r['call_days']} d" if r["call_days"] else "never"
        mail = f"{r['email_days']} d" if r["email_days"] else "never"
        click.echo(f"  {r['status_key']:2} {_cut(r['status'], 20)} {call:>10} {mail:>10} "
                   f"{r['contacts']:>9,} {r['calls_per_day']:>8.2f} {r['emails_per_day']:>9.2f}")
    total = report["total"]
    click.echo(f"  {'':2} {'total':<20} {'':>10} {'':>10} {'':>9} "
               f"{total['calls_per_day']:>8.2f} {total['emails_per_day']:>9.2f}")
    for kind, label in (("calls_per_day", "calls"), ("emails_per_day", "e-mails")):
        limit = cap[kind]
        if limit is None:
            click.echo(f"Capacity: no limit on {label}.")
        elif report["over"][kind]:
            click.echo(f"Over capacity: {total[kind]:.2f} {label} a day needed, {limit} allowed "
                       f"({report['over'][kind]:.2f} over).")
        else:
            click.echo(f"Capacity: {limit} {label} a day; the plan fits.")
    click.echo("Next 13 weeks (calls / e-mails due):")
    for w in report["forecast"]:
        click.echo(f"  {w['week_start']}  {w['calls']:>6,}  {w['emails']:>6,}")


@cli.command("export")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--marketing", is_flag=True, help="Only prospects and new leads.")
@click.option("--status", "keys", metavar="KEYS",
              help="Only (or, with --marketing, also) these status letters, e.g. ks; ? for unclassified.")
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def export_cmd(state: Context, file: Path, marketing: bool, keys: str | None, force: bool,
               as_json: bool) -> None:
    """Write contacts to FILE (.csv or .xlsx), readable by you only.

    Without options: every contact except those marked for deletion.
    Clients, employees, personal contacts and vendors are in a --marketing
    export only if named with --status.
    """
    from store.export import export_contacts

    if keys is not None and not keys.strip():
        raise click.BadParameter("needs status letters, e.g. ks", param_hint="--status")
    summary = export_contacts(state.store(create=False), file, marketing=marketing, keys=keys,
                              force=force)
    for warning in summary["warnings"]:
        click.echo(f"dailyreach: warning: {warning}", err=True)
    if as_json:
        _echo_json(summary)
        return
    click.echo(f"Wrote {summary['contacts']:,} contacts ({summary['selection']}) to {summary['file']}")


#: What a Ctrl-C means for the command running, when it can be said for
#: sure (an import is all or nothing: a late Ctrl-C is held back and noted).
INTERRUPTED: dict[str, str] = {}


def main(argv: list[str] | None = None) -> None:
    """The commands (``tui.launch.main`` sends everything but opening the
    app here)."""
    def run() -> None:
        try:
            cli.main(args=argv, prog_name="dailyreach", standalone_mode=False)
        except click.exceptions.Abort:  # Ctrl-C (click turns it into Abort)
            note = INTERRUPTED.get("note")
            click.echo(f"dailyreach: interrupted{f': {note}' if note else ''}", err=True)
            sys.exit(1)
        except click.ClickException as exc:
            # one line, not click's multi-line usage block
            click.echo(f"dailyreach: error: {clean(exc.format_message())} (see dailyreach --help)",
                       err=True)
            sys.exit(exc.exit_code)

    guarded(run)
