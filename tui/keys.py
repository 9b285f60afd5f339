"""Every key binding, with its id, so the README, the help screen and a
user's keymap file all agree.

A user can remap any binding by id in ``keymap.json`` in the config
directory (``platformdirs.user_config_dir("dailyreach")``, or the file named
by ``DAILYREACH_KEYMAP``), e.g. ``{"app.contacts": "f4"}``.  Letters cannot
be bound: they are status keys wherever a contact has focus.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from textual.binding import Binding

APP_BINDINGS = [
    Binding("f1,question_mark", "help", "Help", key_display="?", id="app.help"),
    Binding("f2", "show_queue", "Queue", id="app.queue"),
    Binding("f3", "show_contacts", "Contacts", id="app.contacts"),
    Binding("f4", "show_import", "Import", id="app.import"),
    Binding("ctrl+z", "undo", "Undo", id="app.undo"),
    Binding("f5,ctrl+r", "refresh", "Refresh", show=False, id="app.refresh"),
    Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
]

QUEUE_BINDINGS = [
    Binding("enter", "done", "Done", id="queue.done"),
]

CONTACTS_BINDINGS = [
    Binding("slash", "focus_search", "Search", key_display="/", id="contacts.search"),
    Binding("escape", "back", "Back", id="contacts.back"),
]

IMPORT_BINDINGS = [
    Binding("escape", "back", "Back", id="import.back"),
    Binding("enter", "change_field", "Change field", id="import.field"),
    Binding("ctrl+o", "browse", "Browse", id="import.browse"),
    Binding("minus", "unclassify", "Leave unclassified", key_display="-", id="import.unclassify"),
    Binding("f6", "cycle_format", "Format", id="import.format"),
    Binding("f7", "cycle_encoding", "Encoding", id="import.encoding"),
    Binding("f8", "cycle_dates", "Dates", id="import.dates"),
    Binding("ctrl+s", "run_import", "Import", id="import.run"),
]

#: Rows for the help screen and README: (keys, what it does, where).
KEYMAP_ROWS = [
    ("↑ ↓ PgUp PgDn Home End", "move through the focused list", "lists"),
    ("Tab / Shift+Tab", "next / previous pane (calls ↔ e-mails; search ↔ list)", "everywhere"),
    ("a–z (lower case)", "give the focused contact the status with that letter", "lists"),
    ("Enter", "mark the focused item done: call reached / e-mail sent", "queue"),
    ("/", "search contacts (name, company, e-mail, phone)", "contacts"),
    ("Esc", "leave the search box; from the list, back to the queue", "contacts"),
    ("Ctrl+Z", "undo the last change (status or done), repeatedly", "everywhere"),
    ("F2", "today's queue", "everywhere"),
    ("F3", "contacts", "everywhere"),
    ("F4", "import a file (CSV, Excel, vCard)", "everywhere"),
    ("Enter", "read the file typed; on a column, choose the field it feeds", "import"),
    ("Ctrl+O", "browse the folders for the file to import", "import"),
    ("a–z / -", "classify the focused raw status value / leave it unclassified", "import"),
    ("F6 / F7 / F8", "change format / encoding / date order, and read again", "import"),
    ("Ctrl+S", "import (all or nothing), with a progress bar", "import"),
    ("F5 / Ctrl+R", "reload from the database (see other windows' changes)", "everywhere"),
    ("? / F1", "this help", "everywhere"),
    ("Ctrl+P", "command palette", "everywhere"),
    ("Ctrl+Q", "quit", "everywhere"),
]


def keymap_path() -> Path:
    env = os.environ.get("DAILYREACH_KEYMAP")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("dailyreach")) / "keymap.json"


def load_keymap() -> tuple[dict[str, str], list[str]]:
    """The user's overrides (binding id → keys) and problems found reading them."""
    path = keymap_path()
    if not path.exists():
        return {}, []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return {}, [f"{path}: ignored, not a JSON object of binding ids to keys ({exc})"]
    if not isinstance(data, dict):
        return {}, [f"{path}: ignored, not a JSON object of binding ids to keys"]
    known = {b.id for b in APP_BINDINGS + QUEUE_BINDINGS + CONTACTS_BINDINGS + IMPORT_BINDINGS}
    keymap, problems = {}, []
    for binding_id, keys in data.items():
        if binding_id not in known or not isinstance(keys, str):
            problems.append(f"{path}: unknown binding id {binding_id!r}")
            continue
        if any(len(k.strip()) == 1 and k.strip().isalpha() for k in keys.split(",")):
            problems.append(f"{path}: {binding_id}: letters are status keys and cannot be bound")
            continue
        keymap[binding_id] = keys
    return keymap, problems
