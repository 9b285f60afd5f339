"""Writing one personal e-mail, and editing the template it starts from."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, Static, TextArea

from store import QueueItem, Store, StoreError
from store.mail import PLACEHOLDERS, as_text, check_template, mailto_url

from ..compose import copy_text, filled_email, open_mail_client, save_draft
from ..keys import COMPOSE_BINDINGS
from ..safe import safe


class ComposeScreen(Screen):
    """One e-mail to one contact, filled in from the template and editable.

    Ctrl+O hands it to the mail client, Ctrl+K copies it, Ctrl+S records it
    as sent and goes back.  Nothing is ever sent from here.
    """

    BINDINGS = COMPOSE_BINDINGS

    def __init__(self, contact_id: int) -> None:
        super().__init__()
        self.contact_id = contact_id
        self.address = ""

    @property
    def store(self) -> Store:
        return self.app.store

    def compose(self) -> ComposeResult:
        yield Static(id="topbar")
        with Vertical(id="compose"):
            yield Static(id="compose-to")
            yield Input(id="compose-subject", placeholder="Subject")
            yield TextArea(id="compose-body", soft_wrap=True)
            yield Static(Text("Ctrl+O mail client · Ctrl+K copy · Ctrl+S mark sent · "
                              "Ctrl+T edit the template · Esc back", style="dim"))
        yield Footer()

    def on_mount(self) -> None:
        self.fill()
        self.set_focus(self.query_one("#compose-body", TextArea))

    def fill(self) -> None:
        """(Re)fill subject and body from the template."""
        contact = self.app.live_contact(self.contact_id)
        if contact is None:
            return
        self.address, subject, body = filled_email(self.store, self.contact_id)
        # what the e-mail was written against: Ctrl+S is refused when the
        # e-mail was logged elsewhere meanwhile, as the queue's Enter is
        self.read = (contact["last_email_sent"], contact["email_attempts"])
        bar = Text.assemble((" dailyreach ", "bold reverse"), "  ", ("E-mail to ", "bold"))
        bar.append_text(safe(contact["name"], "bold"))
        self.query_one("#topbar", Static).update(bar)
        to = Text("To: ", style="bold")
        to.append_text(safe(self.address))
        if contact["company"]:
            to.append("  · ", style="dim")
            to.append_text(safe(contact["company"], "dim"))
        self.query_one("#compose-to", Static).update(to)
        self.query_one("#compose-subject", Input).value = subject
        self.query_one("#compose-body", TextArea).text = body
        self.filled = (self.subject, self.body)  # as the widgets hold them

    #: Asked before leaving an e-mail that was written in (see unsaved()).
    LEAVE_QUESTION = ("Leave this e-mail? What you wrote in it is lost "
                      "(Ctrl+K copies it first).")

    def unsaved(self) -> bool:
        """Has the e-mail been written in since it was filled from the template?"""
        return (self.subject, self.body) != getattr(self, "filled", (self.subject, self.body))

    @property
    def subject(self) -> str:
        return self.query_one("#compose-subject", Input).value

    @property
    def body(self) -> str:
        return self.query_one("#compose-body", TextArea).text

    def message(self) -> str:
        return as_text(self.address, self.subject, self.body)

    def _blank(self) -> bool:
        """Refuse (and say) an e-mail with an empty subject or body: the
        template refuses them too, so that a slip is never mailed."""
        empty = [part for part, text in (("subject", self.subject), ("body", self.body))
                 if not text.strip()]
        if not empty:
            return False
        self.app.bell()
        self.notify(f"The e-mail's {' and '.join(empty)} {'is' if len(empty) == 1 else 'are'} "
                    "empty: write it first.", severity="warning", markup=False)
        return True

    def action_copy(self) -> None:
        if self._blank():
            return
        copy_text(self.app, self.message(), "the e-mail", contact_id=self.contact_id)

    def action_open_mail(self) -> None:
        if self._blank():
            return
        try:
            url = mailto_url(self.address, self.subject, self.body)
        except StoreError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        if open_mail_client(url):
            self.notify("Opened in your mail client. Send it there, then Ctrl+S here marks it sent.",
                        markup=False)
            return
        # no mail client reachable from this terminal: keep the text safe
        self.app.copy_to_clipboard(self.message())
        try:
            path = save_draft(self.store, self.contact_id, self.message())
            where = f" and saved it to {path}"
        except StoreError:
            where = ""
        self.notify(f"No mail client can be opened from this terminal. Copied the e-mail{where}.",
                    severity="warning", markup=False, timeout=8)

    def action_sent(self) -> None:
        if self._blank():
            return
        contact = self.app.live_contact(self.contact_id)
        if contact is None:
            return  # nothing to record it on; the text is still here to copy
        item = QueueItem(contact_id=self.contact_id, name=contact["name"],
                         company=contact["company"] or "", kind="email", due=self.store.today(),
                         status_key=contact["status_key"] or "", status=contact["status"] or "",
                         priority=0, phone=contact["phone"] or "", email=self.address,
                         last_done=self.read[0] and date.fromisoformat(self.read[0]),
                         attempts=self.read[1])
        if self.app.log_outcome(item, "sent", self.subject.strip() or None):
            self.dismiss_to_queue()
            return
        try:
            contact = self.store.contact(self.contact_id)
        except StoreError:  # gone: already said
            return
        else:
            # refused as logged elsewhere meanwhile: said so; a second
            # Ctrl+S means this one was sent too, and records it
            self.read = (contact["last_email_sent"], contact["email_attempts"])

    def dismiss_to_queue(self) -> None:
        self.app.pop_screen()

    def action_cancel(self) -> None:
        self.app.leave_screen()

    def action_template(self) -> None:
        def done(saved: bool | None) -> None:
            if not saved:
                return
            if self.unsaved():
                # what was written here stays: the new template is for the next e-mail
                self.notify("Template saved. This e-mail keeps what you wrote; the next one "
                            "starts from the new template.", markup=False)
            else:
                self.fill()

        self.app.push_screen(TemplateScreen(), done)


class TemplateScreen(ModalScreen[bool]):
    """The e-mail template: subject and body with {placeholders}.
    Ctrl+S saves (unknown placeholders are refused), Esc cancels."""

    BINDINGS = [
        ("ctrl+s", "save", "Save template"),
        ("escape", "cancel", "Cancel"),
    ]
    DEFAULT_CSS = """
    TemplateScreen { align: center middle; }
    #template-box { width: 90%; height: 80%; border: round $accent; padding: 0 1; background: $surface; }
    #template-body { height: 1fr; }
    #template-error { color: $error; height: auto; }
    """

    def compose(self) -> ComposeResult:
        settings = self.app.store.settings()
        with Vertical(id="template-box"):
            yield Static(Text.assemble(
                ("E-mail template", "bold"),
                ("   placeholders: " + " ".join(f"{{{p}}}" for p in PLACEHOLDERS), "dim"),
                ("\nCtrl+S saves · Esc cancels", "dim")))
            yield Input(settings["email_subject"], id="template-subject")
            yield TextArea(settings["email_template"], id="template-body", soft_wrap=True)
            yield Static("", id="template-error")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#template-body", TextArea))

    def action_save(self) -> None:
        subject = self.query_one("#template-subject", Input).value
        body = self.query_one("#template-body", TextArea).text
        store = self.app.store

        def template() -> tuple[str, str]:
            settings = store.settings()
            return settings["email_subject"], settings["email_template"]

        def put(subject: str, body: str) -> None:
            store.set_setting("email_subject", subject)
            store.set_setting("email_template", body)

        old = template()
        try:
            # check both first, so a refused body never leaves a new subject
            check_template("subject", subject)
            check_template("body", body)
            put(subject, body)
        except StoreError as exc:
            self.app.bell()
            self.query_one("#template-error", Static).update(Text(str(exc)))
            return
        new = template()
        if new != old:
            self.app.record_setting("e-mail template", template, lambda: put(*old), new)
        self.notify("E-mail template saved.")
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
