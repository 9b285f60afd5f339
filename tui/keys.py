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

# The footer shows the everyday keys; the rest (F4, F6, F7, F9, Ctrl+N…)
# are in the help screen and the command palette, so the footer fits 100
# columns next to each screen's own keys.
APP_BINDINGS = [
    Binding("f1,question_mark", "help", "Help", key_display="?", id="app.help"),
    Binding("f2", "show_queue", "Queue", id="app.queue"),
    Binding("f3", "show_contacts", "Contacts", id="app.contacts"),
    Binding("f4", "show_breakdown", "Breakdown", show=False, id="app.breakdown"),
    Binding("f6", "show_cleanup", "Clean-up", show=False, id="app.cleanup"),
    Binding("f7", "show_triage", "Triage", show=False, id="app.triage"),
    Binding("ctrl+n", "new_contact", "New", show=False, id="app.new_contact"),
    Binding("ctrl+o", "show_import", "Import", show=False, id="app.import"),
    Binding("ctrl+z", "undo", "Undo", id="app.undo"),
    Binding("f5,ctrl+r", "refresh", "Refresh", show=False, id="app.refresh"),
    Binding("f8", "show_plan", "Plan", id="app.plan"),
    Binding("f9", "show_day", "Day", show=False, id="app.day"),
    Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
]

QUEUE_BINDINGS = [
    Binding("enter", "done", "Done", id="queue.done"),
    Binding("1", "outcome(1)", "Message/bounced", show=False, id="queue.message"),
    Binding("2", "outcome(2)", "No answer", show=False, id="queue.no_answer"),
    Binding("3", "outcome(3)", "Wrong number", show=False, id="queue.wrong_number"),
    Binding("semicolon", "note", "Note", key_display=";", id="queue.note"),
    Binding("greater_than_sign", "snooze", "Snooze", key_display=">", id="queue.snooze"),
    Binding("minus", "skip", "Skip", key_display="-", id="queue.skip"),
    Binding("ctrl+e", "compose", "E-mail", id="queue.compose"),
    Binding("ctrl+k", "copy", "Copy", show=False, id="queue.copy"),
]

#: Digit keys on the queue: the outcome each records, for calls and e-mails
#: (Enter records reached / sent).  None: no such outcome for that kind.
OUTCOME_KEYS = {
    1: {"call": "message", "email": "bounced"},
    2: {"call": "no-answer", "email": None},
    3: {"call": "wrong-number", "email": None},
}

PLAN_BINDINGS = [
    Binding("enter", "edit", "Edit", id="plan.edit"),
    Binding("escape", "back", "Back", id="plan.back"),
]

COMPOSE_BINDINGS = [
    Binding("ctrl+o", "open_mail", "Mail client", id="compose.open", priority=True),
    Binding("ctrl+k", "copy", "Copy", id="compose.copy", priority=True),
    Binding("ctrl+s", "sent", "Mark sent", id="compose.sent", priority=True),
    Binding("ctrl+t", "template", "Edit template", id="compose.template", priority=True),
    Binding("escape", "cancel", "Cancel", id="compose.cancel"),
]

#: The contact card beside the lists scrolls with punctuation keys, so
#: letters stay free for statuses.
CARD_BINDINGS = [
    Binding("right_square_bracket", "scroll_card(4)", "Card ↓", show=False, key_display="]",
            id="card.down"),
    Binding("left_square_bracket", "scroll_card(-4)", "Card ↑", show=False, key_display="[",
            id="card.up"),
]

CONTACTS_BINDINGS = [
    Binding("slash", "focus_search", "Search", key_display="/", id="contacts.search"),
    Binding("escape", "back", "Back", id="contacts.back"),
    Binding("enter", "open", "Open", id="contacts.open"),
    Binding("space", "select", "Select", id="contacts.select"),
    Binding("ctrl+a", "select_all", "Select all", id="contacts.select_all"),
]

DETAIL_BINDINGS = [
    Binding("ctrl+e", "edit", "Edit", id="detail.edit"),
    Binding("enter", "note", "Add note", id="detail.note"),
    Binding("escape", "back", "Back", id="detail.back"),
]

IMPORT_BINDINGS = [
    Binding("escape", "back", "Back", id="import.back"),
    Binding("enter", "change_field", "Change field", id="import.field"),
    Binding("ctrl+o", "browse", "Browse", id="import.browse"),
    Binding("minus", "unclassify", "Leave unclassified", key_display="-", id="import.unclassify"),
    Binding("f6", "cycle_format", "Format", id="import.format"),
    Binding("f7", "cycle_encoding", "Encoding", id="import.encoding"),
    Binding("f8", "cycle_dates", "Dates", id="import.dates"),
    Binding("f9", "cycle_sheet", "Sheet", show=False, id="import.sheet"),  # named in the info line
    Binding("ctrl+s", "run_import", "Import", id="import.run"),
]

BROWSER_BINDINGS = [
    Binding("escape", "dismiss(None)", "Cancel", id="browser.cancel"),
    Binding("backspace", "parent", "Parent folder", id="browser.parent"),
]

EDIT_BINDINGS = [
    Binding("escape", "cancel", "Cancel", id="edit.cancel"),
]

TRIAGE_BINDINGS = [
    Binding("right,down", "step(1)", "Skip", key_display="→", id="triage.next"),
    Binding("left,up", "step(-1)", "Previous", key_display="←", id="triage.previous"),
    Binding("enter", "open", "Open", id="triage.open"),
    Binding("escape", "back", "Back", id="triage.back"),
]

CLEANUP_BINDINGS = [
    Binding("enter", "accept", "Accept guess", id="cleanup.accept"),
    Binding("escape", "back", "Back", id="cleanup.back"),
]

BREAKDOWN_BINDINGS = [
    Binding("escape", "back", "Back", id="breakdown.back"),
]

CONFIRM_BINDINGS = [
    Binding("enter", "answer(True)", "Yes", id="confirm.yes"),
    Binding("escape", "answer(False)", "No", id="confirm.no"),
]

STATUS2_BINDINGS = [
    Binding("enter", "rename", "Rename", id="status2.rename"),
    Binding("delete", "remove", "Remove", id="status2.remove"),
    Binding("escape", "back", "Back", id="status2.back"),
]

#: Rows for the help screen and README: (binding id or None, keys, what, where).
#: Where a binding id is given, the help screen shows the user's remapped key.
KEYMAP_ROWS = [
    (None, "↑ ↓ PgUp PgDn Home End", "move through the focused list", "lists"),
    (None, "Tab / Shift+Tab", "next / previous pane", "everywhere"),
    (None, "a–z (lower case)", "give the focused contact that status", "lists"),
    ("queue.done", "Enter", "mark done: call reached / e-mail sent", "queue"),
    ("queue.message", "1", "call: left a message · e-mail: bounced", "queue"),
    ("queue.no_answer", "2", "call: no answer", "queue"),
    ("queue.wrong_number", "3", "call: wrong number", "queue"),
    ("queue.note", ";", "outcome with a note: ; then Enter/1/2/3, type, Enter", "queue"),
    ("queue.snooze", ">", "snooze: 1, 3, 7 days or a date, then Enter", "queue"),
    ("queue.skip", "-", "skip for today (back tomorrow)", "queue"),
    ("queue.compose", "Ctrl+E", "write a personal e-mail to the contact", "queue"),
    ("queue.copy", "Ctrl+K", "copy: the phone number / the filled-in e-mail", "queue"),
    ("card.down", "]", "scroll the contact card down", "queue, contacts"),
    ("card.up", "[", "scroll the contact card up", "queue, contacts"),
    (None, "A–Z (Shift+letter)", "give the focused contact that status 2 value", "lists"),
    ("contacts.search", "/", "search; status: status2: owner: due: filter", "contacts"),
    ("contacts.select", "Space", "select / unselect (a letter then changes all)", "contacts"),
    ("contacts.select_all", "Ctrl+A", "select every contact the search matches", "contacts"),
    ("contacts.open", "Enter", "open the contact: every field and its history", "contacts"),
    ("contacts.back", "Esc", "clear selection / leave search; then back", "contacts"),
    ("detail.edit", "Ctrl+E", "edit the contact's fields", "contact"),
    ("detail.note", "Enter", "add a note", "contact"),
    (None, "Enter", "save the form (in any one-line box)", "edit form"),
    ("edit.cancel", "Esc", "leave the form without saving (asks if you typed)", "edit form"),
    ("triage.next", "→ / ↓", "skip to the next unclassified contact", "triage"),
    ("triage.previous", "← / ↑", "back to the previous one", "triage"),
    ("triage.open", "Enter", "open the contact", "triage"),
    ("cleanup.accept", "Enter", "map the value (or group) to its guessed status", "clean-up"),
    ("status2.rename", "Enter", "rename the value (or add the one typed)", "status 2 list"),
    ("status2.remove", "Delete", "remove the value from the list", "status 2 list"),
    ("detail.back", "Esc", "leave the note box; then back", "contact"),
    ("triage.back", "Esc", "back to the queue", "triage"),
    ("cleanup.back", "Esc", "back to the queue", "clean-up"),
    ("breakdown.back", "Esc", "back to the queue", "breakdown"),
    ("status2.back", "Esc", "leave the box; then back to the queue", "status 2 list"),
    ("confirm.yes", "Enter", "yes, go ahead", "questions"),
    ("confirm.no", "Esc", "no, change nothing", "questions"),
    ("app.import", "Ctrl+O", "import a file (CSV, Excel, vCard)", "everywhere"),
    ("import.field", "Enter", "read the file typed; on a column, choose its field", "import"),
    ("import.browse", "Ctrl+O", "browse the folders for the file to import", "import"),
    (None, "a–z", "classify the focused raw status value", "import"),
    ("import.unclassify", "-", "leave the focused raw status value unclassified", "import"),
    ("import.format", "F6", "change the format and read again", "import"),
    ("import.encoding", "F7", "change the encoding and read again", "import"),
    ("import.dates", "F8", "change the date order and read again", "import"),
    ("import.sheet", "F9", "read the next sheet of an Excel workbook", "import"),
    ("import.run", "Ctrl+S", "import (all or nothing), with a progress bar", "import"),
    ("import.back", "Esc", "back to the queue; while an import runs: stop it (nothing is "
                           "written)", "import"),
    ("browser.parent", "Backspace", "show the folder above", "import: folder browser"),
    ("browser.cancel", "Esc", "close the folder browser", "import: folder browser"),
    ("app.undo", "Ctrl+Z", "undo the last change (repeatable)", "everywhere"),
    ("app.queue", "F2", "today's queue", "everywhere"),
    ("app.contacts", "F3", "contacts", "everywhere"),
    ("app.plan", "F8", "the plan: cadences, load, forecast", "everywhere"),
    ("app.day", "F9", "the day: progress, summary, tomorrow", "everywhere"),
    ("plan.edit", "Enter", "edit the focused rule or setting", "plan"),
    ("plan.back", "Esc", "back to the queue", "plan"),
    ("compose.open", "Ctrl+O", "open in your mail client", "compose"),
    ("compose.copy", "Ctrl+K", "copy the e-mail (also saved to a file)", "compose"),
    ("compose.sent", "Ctrl+S", "mark the e-mail sent", "compose"),
    ("compose.template", "Ctrl+T", "edit the template", "compose"),
    ("compose.cancel", "Esc", "back, recording nothing", "compose"),
    ("app.breakdown", "F4", "the breakdown (again: next view)", "everywhere"),
    ("app.cleanup", "F6", "status clean-up: map raw imported values", "everywhere"),
    ("app.triage", "F7", "triage: classify unclassified ones one by one", "everywhere"),
    ("app.new_contact", "Ctrl+N", "add a contact by hand", "everywhere"),
    ("app.refresh", "F5 / Ctrl+R", "reload (see other windows' changes)", "everywhere"),
    ("app.help", "? / F1", "this help", "everywhere"),
    (None, "Ctrl+P", "command palette", "everywhere"),
    ("app.quit", "Ctrl+Q", "quit", "everywhere"),
]


BINDING_IDS = {
    b.id for b in APP_BINDINGS + QUEUE_BINDINGS + CONTACTS_BINDINGS + CARD_BINDINGS
    + PLAN_BINDINGS + COMPOSE_BINDINGS + IMPORT_BINDINGS
    + DETAIL_BINDINGS + TRIAGE_BINDINGS + CLEANUP_BINDINGS + BREAKDOWN_BINDINGS + STATUS2_BINDINGS
    + CONFIRM_BINDINGS + EDIT_BINDINGS + BROWSER_BINDINGS
} | {"list.up", "list.down", "list.page_up", "list.page_down", "list.first", "list.last"}


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
        if os.environ.get("DAILYREACH_KEYMAP"):
            return {}, [f"{path}: keymap file named by DAILYREACH_KEYMAP does not exist"]
        return {}, []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return {}, [f"{path}: ignored, not a JSON object of binding ids to keys ({exc})"]
    if not isinstance(data, dict):
        return {}, [f"{path}: ignored, not a JSON object of binding ids to keys"]
    keymap, problems = {}, []
    for binding_id, keys in data.items():
        if binding_id not in BINDING_IDS:
            problems.append(f"{path}: unknown binding id {binding_id!r}")
            continue
        if not isinstance(keys, str) or not keys.strip():
            problems.append(f"{path}: {binding_id}: keys must be a string such as \"f4\" or \"ctrl+d\"")
            continue
        bad = [k for k in keys.split(",") if not valid_key(k.strip())]
        if bad:
            problems.append(f"{path}: {binding_id}: {', '.join(map(repr, bad))} is not a key name")
            continue
        if any(len(k.strip()) == 1 and k.strip().isalpha() for k in keys.split(",")):
            problems.append(f"{path}: {binding_id}: letters are status keys and cannot be bound")
            continue
        # Textual's key names are lower case ("F12" would never fire).
        keymap[binding_id] = ",".join(k.strip() if len(k.strip()) == 1 else k.strip().lower()
                                      for k in keys.split(","))
    problems += [f"{path}: {problem}" for problem in drop_clashes(keymap)]
    return keymap, problems


def _scopes() -> list[tuple[str, list[Binding]]]:
    """The bindings that are active together, by where they are."""
    from .widgets import RowList

    lists = RowList.BINDINGS
    # Keys Textual itself answers everywhere (no ids: never remapped).
    textual = [Binding("ctrl+p", "command_palette", id="the command palette"),
               Binding("tab", "focus_next", id="Tab (next pane)"),
               Binding("shift+tab", "focus_previous", id="Shift+Tab (previous pane)")]
    app = APP_BINDINGS + textual
    return [("everywhere", app), ("queue", app + QUEUE_BINDINGS + CARD_BINDINGS + lists),
            ("contacts", app + CONTACTS_BINDINGS + CARD_BINDINGS + lists),
            ("plan", app + PLAN_BINDINGS + lists), ("e-mail", app + COMPOSE_BINDINGS),
            ("contact", app + DETAIL_BINDINGS), ("edit form", app + EDIT_BINDINGS),
            ("import", app + IMPORT_BINDINGS + lists), ("triage", app + TRIAGE_BINDINGS),
            ("clean-up", app + CLEANUP_BINDINGS + lists), ("breakdown", app + BREAKDOWN_BINDINGS),
            ("status 2 list", app + STATUS2_BINDINGS + lists), ("questions", CONFIRM_BINDINGS)]


def _key_set(keys: str) -> set[str]:
    from textual.keys import _character_to_key

    return {_character_to_key(k) if len(k) == 1 else k.lower()
            for k in (k.strip() for k in keys.split(","))}


def drop_clashes(keymap: dict[str, str]) -> list[str]:
    """Remove from ``keymap`` every entry that would put a key on two
    actions active at the same time (which Textual allows silently: one of
    them is then never reached).  Of two entries, the later one in the file
    goes; an entry that takes a key another binding has by default goes.
    Returns a message for each entry removed, naming both bindings."""
    defaults = {}
    for _, bindings in _scopes():
        for b in bindings:
            defaults.setdefault(b.id, b.key)
    order = list(keymap)
    problems = []
    while True:
        clash = None
        for binding_id in reversed(order):  # the latest entry first
            mine = _key_set(keymap[binding_id])
            for where, bindings in _scopes():
                if binding_id not in {b.id for b in bindings}:
                    continue
                for other in bindings:
                    if other.id == binding_id:
                        continue
                    # a key both have by default is shared by design (the
                    # import screen's F6 over the app's F6)
                    shared = ((mine & _key_set(keymap.get(other.id, other.key)))
                              - (_key_set(defaults[binding_id]) & _key_set(other.key)))
                    if shared:
                        clash = binding_id, other.id, sorted(shared)[0], where
                        break
                if clash:
                    break
            if clash:
                break
        if clash is None:
            return problems
        binding_id, other_id, key, where = clash
        del keymap[binding_id]
        order.remove(binding_id)
        scope = "" if where == "everywhere" else f" (on the {where} screen)"
        plural = "s" if "," in defaults[binding_id] else ""
        problems.append(f"{binding_id} and {other_id} would both be on {key_label(key)}{scope}; "
                        f"{binding_id} keeps its default key{plural}, "
                        f"{key_labels(defaults[binding_id])}")


#: How the help screen writes key names (as the rest of its table does).
_KEY_NAMES = {"enter": "Enter", "escape": "Esc", "space": "Space", "tab": "Tab",
              "backspace": "Backspace", "delete": "Delete", "insert": "Insert",
              "pageup": "PgUp", "pagedown": "PgDn", "home": "Home", "end": "End",
              "up": "↑", "down": "↓", "left": "←", "right": "→"}


def key_label(key: str) -> str:
    """A Textual key name as the help screen writes keys: ``ctrl+d`` →
    ``Ctrl+D``, ``f12`` → ``F12``, ``question_mark`` → ``?``, ``pagedown`` → ``PgDn``."""
    from textual.keys import format_key

    *mods, name = key.strip().split("+") if len(key.strip()) > 1 else [key.strip()]
    lower = name.lower()
    if lower in _KEY_NAMES:
        name = _KEY_NAMES[lower]
    elif lower.startswith("f") and lower[1:].isdigit():
        name = lower.upper()
    elif len(name) == 1:
        name = name.upper() if mods else name
    else:
        shown = format_key(lower)  # "slash" → "/"
        name = shown if len(shown) == 1 else name.capitalize()
    return "+".join([m.capitalize() for m in mods] + [name])


def key_labels(keys: str) -> str:
    """Several keys (``"f5,ctrl+r"``) as the help screen writes them (``F5 / Ctrl+R``)."""
    return " / ".join(key_label(k) for k in keys.split(","))


_MODIFIERS = {"ctrl", "shift", "alt", "meta", "super", "hyper"}


def valid_key(key: str) -> bool:
    """Whether Textual knows ``key`` (e.g. "f4", "ctrl+d", "slash", "/")."""
    from textual.keys import REPLACED_KEYS, Keys, _character_to_key, _get_unicode_name_from_key

    *mods, name = key.lower().split("+") if key else [""]
    if not name or any(m not in _MODIFIERS for m in mods):
        return False
    if len(name) == 1:
        return True
    if name in {k.value for k in Keys} or name in {"enter", "space", "tab", "backspace"}:
        return True
    if name.startswith("f") and name[1:].isdigit() and 1 <= int(name[1:]) <= 24:
        return True
    # named characters such as "slash", "minus" or "question_mark" (Textual
    # renames a few Unicode names: SOLIDUS is "slash", HYPHEN-MINUS "minus")
    import unicodedata

    original = REPLACED_KEYS.get(name, name)
    for unicode_name in (_get_unicode_name_from_key(original), original.replace("_", " ")):
        try:
            char = unicodedata.lookup(unicode_name)
        except KeyError:
            continue
        if _character_to_key(char) == name:
            return True
    return False
