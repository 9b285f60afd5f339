"""Helpers for personal e-mail and copying: fill in the template for one
contact, copy text (with a file as a fallback), hand a message to the mail
client, and turn a phone number into one a phone can dial."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from store import Store, StoreError
from store.mail import fill, values_for


def filled_email(store: Store, contact_id: int) -> tuple[str, str, str]:
    """(address, subject, body) from the template for one contact."""
    contact = store.contact(contact_id)
    if not contact["email"]:
        raise StoreError(f"{contact['name']} has no e-mail address")
    settings = store.settings()
    values = values_for(contact, store.owner_name())
    return contact["email"], fill(settings["email_subject"], values), fill(settings["email_template"], values)


def dialable(phone: str, region: str) -> str:
    """The number in international form (+15550100) when phonenumbers can
    read it (with ``region`` for numbers written without a country code);
    otherwise as written."""
    import phonenumbers

    try:
        parsed = phonenumbers.parse(phone, region or None)
    except phonenumbers.NumberParseException:
        return phone
    if not phonenumbers.is_possible_number(parsed):
        return phone
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def drafts_dir(store: Store) -> Path:
    """``drafts/`` beside the database, one folder per database file (two
    databases in one folder both have a contact 1)."""
    return store.path.parent / "drafts" / store.path.stem


def save_draft(store: Store, contact_id: int, text: str) -> Path:
    """Write the message to a private file beside the database, for
    terminals that cannot set the clipboard."""
    from store.export import write_private

    folder = drafts_dir(store)
    folder.parent.mkdir(mode=0o700, exist_ok=True)
    folder.mkdir(mode=0o700, exist_ok=True)
    return write_private(folder / f"email-{contact_id}.txt", text.encode("utf-8"), force=True)


def copy_text(app, text: str, label: str, *, contact_id: int | None) -> Path | None:
    """Copy ``text`` to the clipboard (terminals that support OSC 52 take
    it); an e-mail is also saved to a file, named in the notice, so it is
    never lost where the terminal refuses."""
    app.copy_to_clipboard(text)
    path = None
    if contact_id is not None:
        try:
            path = save_draft(app.store, contact_id, text)
        except StoreError as exc:
            app.notify(f"Copied {label}; saving a copy failed: {exc}", severity="warning",
                       markup=False)
            return None
    where = f"; also saved to {path}" if path else ""
    app.notify(f"Copied {label} to the clipboard (if your terminal allows){where}", markup=False)
    return path


def open_mail_client(url: str) -> bool:
    """Hand a ``mailto:`` URL to the desktop's mail client; False where
    there is none to hand it to (e.g. over SSH)."""
    if sys.platform == "darwin":
        command = ["open", url]
    elif sys.platform.startswith("win"):
        try:
            os.startfile(url)  # type: ignore[attr-defined]
            return True
        except OSError:
            return False
    elif (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) and shutil.which("xdg-open"):
        command = ["xdg-open", url]
    else:
        return False
    try:
        subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        return False
    return True
