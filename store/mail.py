"""Personal e-mail: the template, filling it in for one contact, and the
``mailto:`` URL that hands it to the user's mail client.

dailyreach never sends mail itself and never writes to more than one person
at a time: it fills in one message, the user reads and edits it, and the
mail client (or the clipboard) takes it from there.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from .errors import StoreError
from .text import clean

DEFAULT_SUBJECT = "A quick question, {first_name}"
DEFAULT_BODY = """Hi {first_name},

You came to mind today, so a short question: is there one thing on your desk \
at the moment where an extra pair of hands or a second opinion would help? \
A one-line reply is plenty, and if it's something I can help with, I will.

All the best,
{owner_name}
"""

PLACEHOLDERS = ("first_name", "last_name", "name", "company", "owner_name")
_FIELD = re.compile(r"\{([^{}]*)\}")


def check_template(label: str, template: str) -> None:
    """Raise :class:`StoreError` for an empty template, any ``{...}`` that is
    not a known placeholder, or a brace left open or closed alone (a typo
    would otherwise be mailed as written)."""
    known = ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)
    if not template.strip():
        raise StoreError(f"{label}: needs some text (placeholders: {known})")
    for match in _FIELD.finditer(template):
        if match.group(1) not in PLACEHOLDERS:
            raise StoreError(f"{label}: unknown placeholder {{{match.group(1)}}}; known: {known}")
    stray = _FIELD.sub("", template)
    for brace in "{}":
        if brace in stray:
            at = stray.index(brace)
            raise StoreError(f"{label}: a {brace!r} without its pair near "
                             f"{stray[max(0, at - 12):at + 12].strip()!r}; placeholders are "
                             f"written whole, e.g. {{first_name}}")


def values_for(contact: dict, owner_name: str) -> dict[str, str]:
    """Placeholder values for a contact (as :meth:`Store.contact` returns it)."""
    name = clean(contact.get("name") or "").strip()
    first = clean(contact.get("first_name") or "").strip() or (name.split()[0] if name else "")
    return {
        "first_name": first or "there",
        "last_name": clean(contact.get("last_name") or "").strip(),
        "name": name or first or "there",
        "company": clean(contact.get("company") or "").strip(),
        "owner_name": clean(owner_name).strip(),
    }


def fill(template: str, values: dict[str, str]) -> str:
    """The template with each known placeholder replaced; other text,
    including braces that name no placeholder, is kept as written."""
    def repl(match: re.Match) -> str:
        key = match.group(1)
        return values[key] if key in values else match.group(0)

    return _FIELD.sub(repl, template)


def mailto_url(address: str, subject: str, body: str) -> str:
    """A ``mailto:`` URL for one recipient.  Every part is percent-encoded,
    so an address such as ``a@b.test?bcc=x@y.test`` cannot add recipients
    or headers."""
    address = clean(address).strip()
    if not address:
        raise StoreError("this contact has no e-mail address")
    return (f"mailto:{quote(address, safe='@')}"
            f"?subject={quote(subject, safe='')}&body={quote(body.replace(chr(10), chr(13) + chr(10)), safe='')}")


def as_text(address: str, subject: str, body: str) -> str:
    """The message as plain text, for the clipboard or a file."""
    return f"To: {clean(address).strip()}\nSubject: {subject}\n\n{body}"
