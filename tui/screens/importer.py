"""Importing a file from the app: choose it, check what was detected, map the
raw status values, import with a progress bar, read the summary.

The preview and the import run in a thread worker, so a large file never
freezes the screen.  Nothing is written until the import key is pressed, and
the import itself is all-or-nothing (:func:`store.import_file`).
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DirectoryTree, Footer, Input, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from store import ImportReport, Store, StoreError
from store.text import clean

from ..keys import BROWSER_BINDINGS, IMPORT_BINDINGS
from ..safe import row, safe, widths
from ..widgets import RowList

FORMAT_CYCLE = ("auto", "act", "outlook", "google", "thunderbird", "linkedin", "csv", "xlsx", "vcard")
ENCODING_CYCLE = (None, "utf-8", "cp1252", "cp1250", "latin-1", "utf-16")
#: The store's messages name the command line's options; here, the keys.
SCREEN_WORDS = (
    ("(choose one with --sheet NAME)", "(F9 reads the next sheet)"),
    ("choose another --encoding", "choose another encoding (F7)"),
    ("(--date-order to change)", "(F8 changes the order)"),
    ("(see --date-order)", "(F8 chooses the order)"),
    ("with --date-order mdy or dmy", "the order with F8"),
    ("--date-order mdy or dmy", "the date order (F8)"),
    ("(use --map 'Their Header=name' to say which is which)",
     "(give a column its field: Enter on it in the columns list)"),
    ("--encoding", "the encoding"),
)


def for_screen(message: str) -> str:
    for cli, keys in SCREEN_WORDS:
        message = message.replace(cli, keys)
    return message
DATE_CYCLE = (None, "mdy", "dmy")
#: Seconds a format / encoding / date order / sheet choice is shown in a
#: toast: the info line under the lists says it too, and a toast covers it.
CHOICE_TOAST = 1.5


class FieldPicker(ModalScreen):
    """Choose the field a column feeds (Enter), or Esc to keep it."""

    BINDINGS = [("escape", "dismiss(None)", "Cancel")]

    def __init__(self, header: str, current: str | None) -> None:
        super().__init__()
        self.header = header
        self.current = current or "extra"

    def compose(self) -> ComposeResult:
        from store.formats import FIELDS

        with Vertical(id="picker"):
            title = Text("Column ", style="bold")
            title.append_text(safe(self.header, "bold"))
            title.append(" feeds…", style="bold")
            yield Static(title)
            options = [Option(Text(f"{name:<13} {about}"), id=name) for name, about in FIELDS.items()]
            picker = OptionList(*options, id="field-options")
            yield picker

    def on_mount(self) -> None:
        picker = self.query_one(OptionList)
        from store.formats import FIELDS

        picker.highlighted = list(FIELDS).index(self.current) if self.current in FIELDS else 0
        self.set_focus(picker)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class FileBrowser(ModalScreen):
    """Pick a file from the folder tree: arrows move, Enter opens a folder or
    picks a file, Backspace shows the folder above, Esc cancels."""

    BINDINGS = BROWSER_BINDINGS

    def __init__(self, start: Path) -> None:
        super().__init__()
        self.start = start

    def compose(self) -> ComposeResult:
        with Vertical(id="browser"):
            yield Static(self._title(), id="browser-title")
            yield DirectoryTree(self.start, id="browser-tree")

    def _title(self) -> Text:
        title = Text("Choose a file in ", style="bold")
        title.append_text(safe(str(self.start), "bold"))
        title.append("   (Backspace: folder above)", style="dim")
        return title

    def on_mount(self) -> None:
        self.set_focus(self.query_one(DirectoryTree))

    def action_parent(self) -> None:
        if self.start.parent == self.start:
            self.app.bell()
            return
        self.start = self.start.parent
        self.query_one(DirectoryTree).path = self.start
        self.query_one("#browser-title", Static).update(self._title())

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.dismiss(event.path)


class ImportScreen(Screen):
    """Choose a file, check and adjust what was detected, import it."""

    BINDINGS = IMPORT_BINDINGS

    def __init__(self, path: str | None = None) -> None:
        super().__init__()
        self.initial = path
        self.path: Path | None = None
        self.fmt = "auto"
        self.encoding: str | None = None
        self.date_order: str | None = None
        self.sheet: str | None = None  # None: the workbook's first sheet
        self.sheets: list[str] = []  # the file's sheets, when it is a workbook
        self.mapping: dict[str, str] = {}
        #: the first row of a file whose header named no field (see _columns)
        self.bare_columns: tuple[str, ...] = ()
        self.status_choice: dict[str, str | None] = {}
        self.preview: ImportReport | None = None
        self.result: ImportReport | None = None
        self.error = ""
        self.busy = False
        self.importing = False
        self.stop = False  # Esc during an import asks it to stop
        self._remembered: dict[str, str] = {}
        self._status_order: list[tuple[str, int]] = []
        self._read_path: Path | None = None  # the file the lists show
        self._picked: tuple[str, Path] | None = None  # (shown, file) from the browser

    @property
    def store(self) -> Store:
        return self.app.store

    def compose(self) -> ComposeResult:
        yield Static(Text(" Import contacts", style="bold"), id="topbar")
        yield Input(placeholder="Path of the file to import (CSV, TSV, Excel .xlsx, vCard) — "
                                "Enter reads it, Ctrl+O browses, Tab goes to its status values",
                    id="import-path")
        # the status values come first, one Tab from the path box
        with Horizontal(id="import-panes"):
            with Vertical(id="import-left"):
                yield Static(" Status values   (letter: classify, go on · -: unclassified)",
                             classes="pane-title")
                yield RowList(self._status_count, self._status_rows, self._render_status,
                              on_letter=self._letter, empty="No status values.",
                              id="import-statuses")
            with Vertical(id="import-right"):
                yield Static(" Columns → fields   (Enter: change)", classes="pane-title")
                yield RowList(self._column_count, self._column_rows, self._render_column,
                              empty=self._no_columns_text, id="import-columns")
        yield Static(self.app.legend(), id="legend")  # letters classify status values
        yield Static(id="import-info")
        yield ProgressBar(total=100, show_eta=False, id="import-progress")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ProgressBar).display = False
        path_input = self.query_one("#import-path", Input)
        if self.initial:
            self._read(self._show_path(Path(self.initial).expanduser()))
        self.set_focus(path_input)
        self._show_info()

    # ------------------------------------------------------------ lists
    def _columns(self) -> list[tuple[str, str | None]]:
        if self.preview:
            return self.preview.columns
        # a header that named no field: its cells, to be given fields by hand
        return [(h, self.mapping.get(h)) for h in self.bare_columns]

    def _no_columns_text(self) -> str:
        if self.preview is not None and self.preview.format == "vcard":
            return "A vCard has no columns: each field is read by its name."
        if self.error:
            return "No columns to show (see the problem below)."
        return "Choose a file to see its columns."

    def _column_count(self) -> int:
        return len(self._columns())

    def _column_rows(self, offset: int, limit: int) -> list:
        return self._columns()[offset:offset + limit]

    def _render_column(self, item, width: int) -> Text:
        header, field = item
        head_w, field_w = widths(width, 3, (55, 45))
        demoted = self.preview.demoted.get(header) if self.preview else None
        if demoted:
            # it would feed this field, but the column you chose for it does
            lost, by = demoted
            shown, style = f"extra data ({by} feeds {lost})", "yellow"
        else:
            how = "" if header not in self.mapping else " (you)"
            shown, style = (field or "extra data") + how, "bold" if field else "dim"
        return row((header, head_w, ""), ("→", 1, "dim"), (shown, field_w, style))

    def _statuses(self) -> list[tuple[str, int]]:
        return self._status_order

    def _order_statuses(self, keep: bool = False) -> None:
        """Values that need a decision first (most contacts first), then
        blanks, then the values that already name a status.  Fixed once per
        file: classifying a value, or reading the file again after a change
        of column or format, does not reshuffle the list (``keep``: values
        already listed keep their places, new ones follow)."""
        if not self.preview:
            self._status_order = []
            return
        if keep and self._status_order:
            counts = self.preview.raw_statuses
            listed = [raw for raw, _ in self._status_order if raw in counts]
            known = set(listed)
            self._status_order = [(raw, counts[raw]) for raw in listed] + [
                (raw, n) for raw, n in counts.items() if raw not in known]
            return

        def key(item):
            raw, count = item
            group = 1 if not raw else (0 if self._target(raw) is None else 2)
            return (group, -count, raw)

        self._status_order = sorted(self.preview.raw_statuses.items(), key=key)

    def _status_count(self) -> int:
        return len(self._statuses())

    def _status_rows(self, offset: int, limit: int) -> list:
        return self._statuses()[offset:offset + limit]

    def _render_status(self, item, width: int) -> Text:
        raw, count = item
        target = self._target(raw)
        raw_w, target_w = widths(width, 8 + 3, (50, 50))
        shown = raw if raw else "(blank)"
        if target is None:
            label, style = "unclassified", "yellow"
        else:
            label, style = f"{target.key} {target.name}", "bold"
        return row((shown, raw_w, "" if raw else "dim italic"), (f"×{count}", 8, "dim"),
                   ("→", 1, "dim"), (label, target_w, style))

    def _target(self, raw: str):
        from store import match_status
        from store.scheme import normalize_raw

        statuses = self.store.statuses()
        if raw in self.status_choice:
            key = self.status_choice[raw]
            return self.store.status_by_key(key) if key else None
        status = match_status(raw, statuses)
        if status is None and raw:
            key = self._remembered.get(normalize_raw(raw))
            if key:
                status = next((s for s in statuses if s.key == key), None)
        return status

    def _mappable(self, raw: str, key: str | None) -> bool:
        """A value that is a status's own name always means that status:
        another choice for it is refused (and said), never shown and then
        ignored by the import."""
        from store import match_status

        named = match_status(raw, self.store.statuses())
        if named is None or named.key == key:
            return True
        self.app.bell()
        self.notify(f"{raw.strip()!r} is the name of a status ({named.name}) and always means it.",
                    severity="warning", markup=False)
        return False

    def _letter(self, item, letter: str) -> None:
        if item is None or self._import_running():
            return
        raw, _ = item
        if not raw:
            self.notify("Blank statuses stay unclassified; classify those contacts after the import.",
                        markup=False)
            return
        keys = [s.key for s in self.store.statuses()]
        if letter.upper() not in keys:
            self.app.bell()
            self.notify(f"No status has the letter {letter!r}.", severity="warning", markup=False)
            return
        if not self._mappable(raw, letter.upper()):
            return
        self.status_choice[raw] = letter.upper()
        lst = self.query_one("#import-statuses", RowList)
        lst.reload()
        lst.action_move(1)

    # ------------------------------------------------------------ actions
    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "import-path":
            self._read(event.value)

    def action_browse(self) -> None:
        if self._import_running():
            return
        typed = self.query_one("#import-path", Input).value.strip()
        start = Path(typed).expanduser() if typed else Path.cwd()
        while not start.is_dir() and start != start.parent:
            start = start.parent

        def chosen(path: Path | None) -> None:
            if path is not None:
                self._read(self._show_path(path))

        self.app.push_screen(FileBrowser(start if start.is_dir() else Path.cwd()), chosen)

    def _show_path(self, path: Path) -> str:
        """Put ``path`` in the path box, cursor at the end; returns what the
        box shows.  A file name can hold escape sequences: the box shows it
        cleaned (they would reach the terminal) and still means that file."""
        box = self.query_one("#import-path", Input)
        shown = clean(str(path))
        self._picked = (shown, path) if shown != str(path) else None
        box.value = shown
        box.cursor_position = len(shown)  # typing goes on after the name
        return shown

    def _path_of(self, value: str) -> Path:
        """The file a value of the path box names (one picked in the browser
        is shown cleaned of control characters: the picked path is meant)."""
        if self._picked is not None and value == self._picked[0]:
            return self._picked[1]
        return Path(value).expanduser()

    def _read(self, value: str) -> None:
        value = value.strip()
        if not value:
            self.notify("Type the path of a file first.", severity="warning")
            return
        if self._import_running():
            return
        path = self._path_of(value)
        if path != self.path:
            # what was chosen for another file (its sheet, the fields of its
            # columns, its status values) means nothing here: a column of
            # that file mapped by hand would be refused as missing;
            self.sheet = None
            self.mapping.clear()
            self.status_choice.clear()
            # and the format, encoding and date order forced for it: a new
            # file is detected afresh (Google's headers read onto an Act!
            # export would misread it)
            self.fmt, self.encoding, self.date_order = "auto", None, None
        self.path = path
        self.result = None
        self._preview()

    def _options(self):
        from store.formats import ReadOptions

        return ReadOptions(format=self.fmt, encoding=self.encoding, date_order=self.date_order,
                           sheet=self.sheet,
                           mapping=dict(self.mapping), status_map=dict(self.status_choice),
                           today=self.store.today())

    def _import_running(self) -> bool:
        """Refuse (and say so) a change while an import runs: a new reading
        would take the import's worker slot and leave the screen waiting
        for it, and a choice made now would not be what is imported."""
        if self.importing:
            self.notify("An import is running: wait for its summary, or Esc stops it.",
                        severity="warning")
        return self.importing

    def _preview(self) -> None:
        if self.path is None or self._import_running():
            return
        self.error = ""
        self.result = None  # a summary belongs to the reading it came from
        self.query_one(ProgressBar).display = False  # the last import's full bar
        self.busy = True
        self._show_info("Reading…")
        self._run_preview(self.path, self._options())

    @work(thread=True, exclusive=True, group="import")
    def _run_preview(self, path: Path, options) -> None:
        from store import preview_file, workbook_sheets

        sheets = workbook_sheets(path)
        columns: tuple[str, ...] = ()
        try:
            report, error = preview_file(path, options), ""
        except StoreError as exc:
            report, error, columns = None, str(exc), exc.columns
        except Exception as exc:  # never let a damaged file take the app down
            report, error = None, f"unexpected error: {type(exc).__name__}: {exc}"
        self.app.call_from_thread(self._previewed, report, error, sheets, columns)

    def _previewed(self, report: ImportReport | None, error: str, sheets: list[str],
                   columns: tuple[str, ...] = ()) -> None:
        self.busy = False
        self.sheets = sheets
        self.bare_columns = columns
        self._remembered = self.store.remembered_statuses()
        self.preview = report
        self.error = error
        # the same file read again (another field, format…): the lists keep
        # their order and cursors; another file starts at the top
        same = report is not None and self._read_path == self.path
        self._order_statuses(keep=same)
        self._read_path = self.path if report is not None else None
        for lst in self.query(RowList):
            lst.reload(keep=None if same else 0)
        self._show_info()
        # focus stays where it was (the path box after Enter): a letter on
        # the status list classifies, so typing must not land there unasked

    def action_cycle_format(self) -> None:
        if self._import_running():
            return
        self.fmt = FORMAT_CYCLE[(FORMAT_CYCLE.index(self.fmt) + 1) % len(FORMAT_CYCLE)]
        self.notify(f"Format: {self.fmt}", markup=False, timeout=CHOICE_TOAST)
        self._preview()

    def action_cycle_encoding(self) -> None:
        if self._import_running():
            return
        self.encoding = ENCODING_CYCLE[(ENCODING_CYCLE.index(self.encoding) + 1) % len(ENCODING_CYCLE)]
        self.notify(f"Encoding: {self.encoding or 'detect'}", markup=False, timeout=CHOICE_TOAST)
        self._preview()

    def action_cycle_dates(self) -> None:
        if self._import_running():
            return
        self.date_order = DATE_CYCLE[(DATE_CYCLE.index(self.date_order) + 1) % len(DATE_CYCLE)]
        self.notify(f"Date order: {self.date_order or 'decide from the file'}", markup=False, timeout=CHOICE_TOAST)
        self._preview()

    def _sheet_read(self) -> str:
        """The workbook sheet the preview reads (its first unless one was chosen)."""
        return self.sheet if self.sheet in self.sheets else self.sheets[0]

    def action_cycle_sheet(self) -> None:
        if self._import_running():
            return
        if len(self.sheets) < 2:
            self.app.bell()
            self.notify("Only an Excel workbook with several sheets has a sheet to choose."
                        if not self.sheets else "This workbook has one sheet.",
                        severity="warning", markup=False)
            return
        self.sheet = self.sheets[(self.sheets.index(self._sheet_read()) + 1) % len(self.sheets)]
        self.notify(f"Sheet: {self.sheet} ({self.sheets.index(self.sheet) + 1} of {len(self.sheets)})",
                    markup=False, timeout=CHOICE_TOAST)
        self._preview()

    def action_change_field(self) -> None:
        if self._import_running():
            return
        lst = self.query_one("#import-columns", RowList)
        if self.focused is not lst or lst.current is None:
            return
        header, field = lst.current

        def chosen(value: str | None) -> None:
            if value:
                from store.formats.mapping import MULTI_FIELDS

                if value not in MULTI_FIELDS:
                    # a field that takes one column: this choice replaces an
                    # earlier one (a column that fed it on its own is shown
                    # demoted to extra data by the preview)
                    for other in [h for h, f in self.mapping.items() if f == value and h != header]:
                        del self.mapping[other]
                self.mapping[header] = value
                self._preview()

        self.app.push_screen(FieldPicker(header, field), chosen)

    def action_unclassify(self) -> None:
        if self._import_running():
            return
        lst = self.query_one("#import-statuses", RowList)
        if self.focused is lst and lst.current is not None:
            raw, _ = lst.current
            if raw and self._mappable(raw, None):
                self.status_choice[raw] = None
                lst.reload()
                lst.action_move(1)

    def action_run_import(self) -> None:
        if self.busy:
            self.notify("Still reading the file: Ctrl+S again once its columns show.",
                        severity="warning")
            return
        typed = self.query_one("#import-path", Input).value.strip()
        if typed and self._path_of(typed) != self.path:
            # a path typed (and perhaps Enter pressed: its reading may not
            # have begun yet) but not read: never import the last file instead
            self._read(typed)
            self.notify("Reading the file typed first: Ctrl+S again once its columns show.",
                        severity="warning")
            return
        if self.preview is None or self.path is None:
            self.notify("Read a file first (type its path, then Enter).", severity="warning")
            return
        self.busy = self.importing = True
        self.stop = False
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(progress=0)
        self._show_info("Importing…")
        self._run_import(self.path, self._options())

    @work(thread=True, exclusive=True, group="import")
    def _run_import(self, path: Path, options) -> None:
        from store import import_file

        def progress(fraction: float) -> None:
            self.app.call_from_thread(self.query_one(ProgressBar).update, progress=fraction * 100)

        try:
            report, error = import_file(self.store, path, options, progress=progress,
                                        stop=lambda: self.stop), ""
        except StoreError as exc:
            report, error = None, str(exc)
        except KeyboardInterrupt:
            report, error = None, "interrupted: nothing was imported"
        except Exception as exc:
            report, error = None, f"unexpected error: {type(exc).__name__}: {exc} (nothing was imported)"
        self.app.call_from_thread(self._imported, report, error)

    def _imported(self, report: ImportReport | None, error: str) -> None:
        self.busy = self.importing = False
        bar = self.query_one(ProgressBar)
        bar.update(progress=100)
        bar.display = report is not None  # a full bar beside "nothing was imported" misleads
        self.result = report
        self.error = error
        self._show_info()  # the summary is there, under the lists
        if report is None:
            self.notify(for_screen(error), severity="error", markup=False)

    def action_back(self) -> None:
        if self.importing:
            # the other screens read the same connection, so the screen
            # stays until the import has rolled back
            if not self.stop:
                self.stop = True
                self._show_info("Stopping the import… nothing will be written.")
            return
        self.app.pop_screen()

    # ------------------------------------------------------------ info
    def _show_info(self, status: str = "") -> None:
        from store.formats import FORMAT_NAMES

        out = Text()
        if status:
            out.append(status + "\n", style="bold")
        if self.error:
            out.append("Problem: ", style="bold red")
            out.append_text(safe(for_screen(self.error)))
            out.append("\n")
            if len(self.sheets) > 1:
                shown = self._sheet_read()
                out.append_text(safe(f"Sheet {shown!r} ({self.sheets.index(shown) + 1} of "
                                     f"{len(self.sheets)}): F9 reads the next one.", "dim"))
                out.append("\n")
        report = self.result or self.preview
        if report is not None:
            parts = [FORMAT_NAMES.get(report.format, report.format)]
            if report.sheet:
                parts.append(f"sheet {report.sheet}")
            elif report.encoding:
                parts.append(report.encoding)
            if report.delimiter:
                parts.append(f"{report.delimiter}-separated")
            parts.append(f"{report.rows} row{'s' if report.rows != 1 else ''}")
            if report.date_order:
                parts.append("dates " + {"mdy": "month/day/year", "dmy": "day/month/year"}[report.date_order])
            out.append_text(safe(" · ".join(parts), "bold"))
            choices = [f"format {self.fmt}", f"encoding {self.encoding or 'detected'}",
                       f"dates {self.date_order or 'from the file'}"]
            keys = "F6/F7/F8"
            if len(self.sheets) > 1:
                choices.append(f"sheet {self.sheets.index(self._sheet_read()) + 1} of {len(self.sheets)}")
                keys += "/F9"
            out.append(f"   ({', '.join(choices)}; {keys} change)\n", style="dim")
            if self.result is None:
                # the first contacts as read: a wrong encoding (Å‚ for ł) or
                # a wrong column shows here before anything is imported
                for first in report.sample:
                    out.append(f"  line {first['line']}: ", style="dim")
                    parts = [first[k] for k in ("name", "company", "email", "phone") if first[k]]
                    out.append_text(safe(" · ".join(parts)))
                    out.append("\n")
        if self.result is not None:
            r = self.result
            out.append(f"Done: {r.added} added, {r.merged} merged, {r.unchanged} unchanged, "
                       f"{r.unclassified} unclassified ({r.no_status} with no status), "
                       f"{max(r.skipped_total, len(r.skipped))} skipped.\n", style="bold green")
        elif self.preview is not None:
            out.append(f"{len(self.preview.skipped)} row(s) would be skipped. "
                       "Ctrl+S imports (all or nothing).\n", style="dim")
        if report is not None:
            for line, reason in report.skipped[:3]:
                out.append_text(safe(f"line {line}: {for_screen(reason)}", "yellow"))
                out.append("\n")
            for note in report.notes[:2]:
                out.append_text(safe(for_screen(note), "dim"))
                out.append("\n")
            for line, message in report.warnings[:3]:
                out.append_text(safe(f"line {line}: {for_screen(message)}", "yellow"))
                out.append("\n")
        self.query_one("#import-info", Static).update(out)
