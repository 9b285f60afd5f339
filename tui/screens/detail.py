"""One contact in full: every field, the whole history, a note box; and the
form that edits a contact or adds one by hand."""

from __future__ import annotations

import re

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Static, TextArea

from store import Store, StoreError

from ..history import describe, user_note
from ..keys import DETAIL_BINDINGS, EDIT_BINDINGS
from ..safe import safe
from ..widgets import LetterTarget

def history_line(h: dict) -> Text:
    """One history row as text: when, what, and any note."""
    out = Text()
    out.append(h["at"].replace("T", " ")[:16] + "  ", style="dim")
    out.append_text(describe(h))
    if h.get("source") and h["source"] not in ("app",):
        out.append(f"  ({h['source']})", style="dim")
    note = user_note(h)
    if note:
        out.append("\n    ")
        out.append_text(safe(note.replace("\n", "\n    "), "italic", multiline=True))
    return out


class DetailScreen(Screen):
    """A contact in full.  Letters set its status (Shift: status 2),
    Ctrl+E edits its fields, Enter adds a note."""

    BINDINGS = DETAIL_BINDINGS

    def __init__(self, contact_id: int) -> None:
        super().__init__()
        self.contact_id = contact_id

    @property
    def store(self) -> Store:
        return self.app.store

    def compose(self) -> ComposeResult:
        yield Static(id="topbar")
        with Horizontal(id="detail"):
            with VerticalScroll(id="detail-fields"):
                yield LetterTarget(self._letter, id="fields")
            with VerticalScroll(id="detail-history"):
                yield Static(id="history")
        yield Input(placeholder="Add a note: type it, Enter saves (Esc leaves the box)", id="note")
        yield Static(id="legend")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.set_focus(self.query_one("#fields", LetterTarget))

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        try:
            c = self.store.contact(self.contact_id)
        except StoreError:
            self.query_one("#fields", LetterTarget).update(
                Text("This contact no longer exists (purged?). Esc goes back.", style="italic"))
            self.query_one("#history", Static).update("")
            return
        self.contact = c
        bar = Text.assemble((" dailyreach ", "bold reverse"), "  ", ("Contact ", "bold"))
        bar.append_text(safe(c["name"] or "(no name)", "bold"))
        bar.append(f"   #{c['id']}   Ctrl+E edit · Enter add a note · letters set the status",
                   style="dim")
        self.query_one("#topbar", Static).update(bar)
        self.query_one("#fields", LetterTarget).update(self._fields(c))
        history = self.store.history(self.contact_id)
        out = Text()
        out.append(f"History ({len(history)})\n", style="bold")
        for h in history:
            out.append_text(history_line(h))
            out.append("\n")
        if not history:
            out.append("Nothing yet.", style="italic")
        self.query_one("#history", Static).update(out)
        self.query_one("#legend", Static).update(self.app.legend())

    @staticmethod
    def _fields(c: dict) -> Text:
        out = Text()

        def line(label: str, value: object, style: str = "") -> None:
            out.append(f"{label:<13} ", style="dim")
            out.append_text(safe(value if value not in (None, "") else "—", style))
            out.append("\n")

        line("Name", c["name"], "bold")
        line("First name", c["first_name"])
        line("Last name", c["last_name"])
        line("Company", c["company"])
        line("Title", c["title"])
        status = f"{c['status_key']} {c['status']}" if c["status_key"] else "unclassified"
        line("Status", status, "bold" if c["status_key"] else "bold yellow")
        if c["status_raw"] and c["status_raw"] != c["status"]:
            line("  imported as", repr(c["status_raw"]))
        line("Status 2", c["status2"])
        line("Owner", c["owner"])
        for email in c["emails"] or [{"type": "", "value": ""}]:
            line(f"E-mail {email.get('type', '')}".strip(), email["value"])
        for phone in c["phones"] or [{"type": "", "value": ""}]:
            ext = f" x{phone['ext']}" if phone.get("ext") else ""
            line(f"Phone {phone.get('type', '')}".strip(), phone["value"] + ext)
        line("Arrived", (c["created_at"] or "")[:10])
        line("Last reach", c["last_call_reached"] or "never")
        if c["call_attempts"]:
            line("  attempts", f"{c['call_attempts']} since")
        line("Last e-mail", c["last_email_sent"] or "never")
        line("Next call", c["next_call_due"])
        line("Next e-mail", c["next_email_due"])
        for key, value in (c["extra"] or {}).items():
            line(key[:12], value)
        if c["notes"]:
            out.append("\nNotes\n", style="bold")
            out.append_text(safe(c["notes"], multiline=True))
        return out

    def _letter(self, letter: str) -> None:
        if hasattr(self, "contact"):
            self.app.reclassify([self.contact_id], letter, self.contact["name"])

    def action_edit(self) -> None:
        if self.app.live_contact(self.contact_id) is not None:
            self.app.push_screen(EditContactScreen(self.contact_id))

    def action_note(self) -> None:
        self.set_focus(self.query_one("#note", Input))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.set_focus(self.query_one("#fields", LetterTarget))
            return
        try:
            note_id = self.store.log(self.contact_id, "note", None, note=text)
        except StoreError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        event.input.value = ""
        name = getattr(self, "contact", {}).get("name", "")
        self.app.record_activity(f"{name}: note added", note_id, self.contact_id)
        self.notify("Note added (Ctrl+Z takes it back).")
        self.set_focus(self.query_one("#fields", LetterTarget))
        self.reload()

    #: Asked before leaving a contact whose note box holds text (see unsaved()).
    LEAVE_QUESTION = "Leave this contact? The note you typed is not added."

    def unsaved(self) -> bool:
        """Is a note typed and not added yet?"""
        return bool(self.query_one("#note", Input).value.strip())

    def action_back(self) -> None:
        if self.query_one("#note", Input).has_focus:
            self.set_focus(self.query_one("#fields", LetterTarget))
        else:
            self.app.leave_screen()


_EXT = re.compile(r"^(.*?\d[^x]*?)\s*(?:x|ext\.?)\s*(\d+)$", re.IGNORECASE)


class EditContactScreen(Screen):
    """Every editable field of a contact (or a new one) as a text box.
    Enter in any box saves; Esc leaves without saving.  A new contact (or
    changed e-mail / phone / name) that looks like someone already in the
    database is saved only after a second Enter."""

    BINDINGS = EDIT_BINDINGS

    SCALARS = [("name", "Name"), ("first_name", "First name"), ("last_name", "Last name"),
               ("company", "Company"), ("title", "Title"), ("owner", "Owner")]

    def __init__(self, contact_id: int | None) -> None:
        super().__init__()
        self.contact_id = contact_id
        self.warned_for: list[int] | None = None
        self.warned_clash: list[str] | None = None
        self.extra_keys: list[str] = []
        self.phone_types: list[str] = []
        self.email_types: list[str] = []

    @property
    def store(self) -> Store:
        return self.app.store

    def compose(self) -> ComposeResult:
        c = self.store.contact(self.contact_id) if self.contact_id else {
            "name": "", "first_name": "", "last_name": "", "company": "", "title": "",
            "owner": "", "notes": "", "emails": [], "phones": [], "extra": {}}
        title = "New contact" if self.contact_id is None else "Edit contact"
        yield Static(Text.assemble((" dailyreach ", "bold reverse"), "  ", (title, "bold"),
                                   ("   Enter saves · Esc cancels · Tab next field", "dim")),
                     id="topbar")
        with VerticalScroll(id="edit-form"):
            yield Static(id="edit-problem")
            for key, label in self.SCALARS:
                yield from self._row(label, c[key] or "", f"f-{key}")
            self.email_types = [e.get("type") or "work" for e in c["emails"]] + ["work"]
            for i, email in enumerate(c["emails"] + [{"value": ""}]):
                label = f"E-mail ({self.email_types[i]})" if email["value"] else "Add an e-mail"
                yield from self._row(label, email["value"], f"f-email-{i}")
            self.phone_types = [p.get("type") or "work" for p in c["phones"]] + ["work"]
            for i, phone in enumerate(c["phones"] + [{"value": ""}]):
                ext = f" x{phone['ext']}" if phone.get("ext") else ""
                label = f"Phone ({self.phone_types[i]})" if phone["value"] else "Add a phone"
                yield from self._row(label, phone["value"] + ext, f"f-phone-{i}")
            self.extra_keys = list(c["extra"] or {})
            for i, key in enumerate(self.extra_keys):
                yield from self._row(key, c["extra"][key], f"f-extra-{i}")
            yield Label("Notes (Tab leaves the box)", classes="notes-label")
            yield TextArea(c["notes"] or "", id="f-notes", tab_behavior="focus")
        yield Footer()

    @staticmethod
    def _row(label: str, value: str, widget_id: str) -> ComposeResult:
        row = Horizontal(classes="field-row")
        with row:
            yield Label(safe(label[:20]))
            # the cursor goes to the end: typing adds to what is there
            # rather than replacing the whole value
            yield Input(value=value, id=widget_id, select_on_focus=False)
        yield row

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#f-name", Input))
        self.initial = self.fields()
        # the contact as stored when the form opened, to tell a change made
        # elsewhere meanwhile from one typed here
        self.opened = (self.store.editable_fields(self.contact_id)
                       if self.contact_id is not None else {})

    def unsaved(self) -> bool:
        """Has anything been typed since the form opened?"""
        return self.fields() != getattr(self, "initial", None)

    def _value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value

    def fields(self) -> dict:
        out = {key: self._value(f"f-{key}") for key, _ in self.SCALARS}
        out["emails"] = [{"type": t, "value": self._value(f"f-email-{i}")}
                         for i, t in enumerate(self.email_types)]
        phones = []
        for i, t in enumerate(self.phone_types):
            value = self._value(f"f-phone-{i}").strip()
            entry = {"type": t, "value": value}
            match = _EXT.match(value)
            if match:
                entry.update(value=match.group(1).strip(), ext=match.group(2))
            phones.append(entry)
        out["phones"] = phones
        if self.extra_keys:
            out["extra"] = {k: self._value(f"f-extra-{i}") for i, k in enumerate(self.extra_keys)}
        out["notes"] = self.query_one("#f-notes", TextArea).text
        return out

    def _problem(self, text: Text | str) -> None:
        self.query_one("#edit-problem", Static).update(
            text if isinstance(text, Text) else Text(text, style="bold red"))
        self.query_one("#edit-form", VerticalScroll).scroll_home(animate=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    #: How the save notice names each field (the store's keys are not words).
    FIELD_WORDS = {**dict(SCALARS), "emails": "e-mails", "phones": "phones",
                   "extra": "extra data", "notes": "notes"}

    def _typed(self, fields: dict, now: dict) -> dict:
        """The fields typed in since the form opened, as update_contact takes
        them: only those, so a field another window changed meanwhile is
        not written back as this form last read it (``now``: the contact's
        editable fields as stored now)."""
        typed = {k: v for k, v in fields.items() if v != self.initial.get(k)}
        if "extra" in typed:
            # each extra value on its own: the others as they are now
            typed["extra"] = {**now["extra"], **{k: v for k, v in fields["extra"].items()
                                                 if v != self.initial["extra"].get(k)}}
        return typed

    def _clashes(self, fields: dict, typed: dict, now: dict) -> list[str]:
        """Fields typed here that another window or the CLI changed since
        the form opened."""
        out = []
        for key in typed:
            if key != "extra":
                if now.get(key) != self.opened.get(key):
                    out.append(self.FIELD_WORDS.get(key, key))
                continue
            out += [k for k, v in fields["extra"].items() if v != self.initial["extra"].get(k)
                    and now["extra"].get(k) != self.opened["extra"].get(k)]
        return out

    def action_save(self) -> None:
        fields = self.fields()
        if self.contact_id is not None:
            try:
                now = self.store.editable_fields(self.contact_id)
            except StoreError as exc:  # purged elsewhere
                self._problem(f"Not saved: {exc}")
                self.notify(f"Not saved: {exc}", severity="error", markup=False)
                return
            typed = self._typed(fields, now)
            clashes = self._clashes(fields, typed, now)
            if not typed:
                self.app.pop_screen()
                self.notify("Nothing changed.", markup=False)
                return
            if clashes and self.warned_clash != clashes:
                self.warned_clash = clashes
                message = (f"Changed in another window or by the command line since this form "
                           f"opened: {', '.join(clashes)}. Enter again saves what you typed over "
                           "it; Esc leaves (F5 on the contact shows the new values).")
                self._problem(message)
                self.notify(message, severity="warning", markup=False)
                return
        try:
            dupes = self.store.possible_duplicates(fields, exclude=self.contact_id)
            if self.contact_id is not None:
                # only warn when the change itself makes the contact look like another
                before = self.store.possible_duplicates(
                    {k: v for k, v in self.store.contact(self.contact_id).items()
                     if k in ("name", "first_name", "last_name", "company", "emails", "phones")},
                    exclude=self.contact_id)
                known = {d["id"] for d in before}
                dupes = [d for d in dupes if d["id"] not in known]
            ids = [d["id"] for d in dupes]
            if dupes and self.warned_for != ids:
                self.warned_for = ids
                warning = Text("Possible duplicate of:\n", style="bold yellow")
                for d in dupes[:5]:
                    warning.append(f"  #{d['id']} ")
                    warning.append_text(safe(d["name"], "bold"))
                    if d["company"]:
                        warning.append(", ")
                        warning.append_text(safe(d["company"]))
                    warning.append(f"  ({', '.join(d['reasons'])})\n", style="dim")
                warning.append("Enter again saves anyway; Esc cancels.", style="bold")
                self._problem(warning)
                self.notify("Possible duplicate: Enter again saves anyway.", severity="warning")
                return
            if self.contact_id is None:
                new_id = self.store.add_contact(fields)
            else:
                before = now  # (read above, in this same key press)
                changed = self.store.update_contact(self.contact_id, typed)
                after = self.store.editable_fields(self.contact_id)
        except StoreError as exc:
            self._problem(f"Not saved: {exc}")
            self.notify(f"Not saved: {exc}", severity="error", markup=False)
            return
        self.app.pop_screen()
        if self.contact_id is None:
            name = self.store.contact(new_id)["name"]
            self.app.record_refusal(
                f"add {name}",
                f"Adding {name} is not undone by Ctrl+Z: give it the Delete status, then purge it.")
            self.notify("Contact added. A letter gives it a status.", markup=False)
            self.app.open_contact(new_id)
        else:
            if changed:
                self.app.record_edit(self.contact_id, {k: before[k] for k in changed},
                                     {k: after[k] for k in changed},
                                     f"edit {after['name']} ({', '.join(changed)})")
            words = ", ".join(self.FIELD_WORDS.get(k, k) for k in changed)
            self.notify(f"Saved: {words}." if changed else "Nothing changed.", markup=False)

    def action_cancel(self) -> None:
        self.app.leave_screen()
