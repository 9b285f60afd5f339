"""vCard 2.1, 3.0 and 4.0 files, parsed with the vobject library.

Before vobject sees a card, two things vCard 2.1 writers do that vobject
does not undo are handled here: quoted-printable values (soft line breaks,
a ``CHARSET`` parameter or none) are decoded, and embedded photos, logos,
sounds and keys are dropped unread — they are never stored or shown.
Each card is parsed on its own, so one damaged card is reported with its
line number instead of hiding the others; a card with no ``END:VCARD`` is
read up to where the next card begins (or the end of the file) and
imported with a warning if it parses.
"""

from __future__ import annotations

import quopri
import re
from typing import Iterator

from ..records import ImportReport, Record
from ..text import clean
from .source import Source, TextLines
from .values import add_emails

_BINARY_PROPS = {"PHOTO", "LOGO", "SOUND", "KEY"}
_SKIP_PROPS = {"VERSION", "PRODID", "REV", "X-ABUID", "X-ABSHOWAS", "X-ABADR", "X-ABLABEL",
               "FN", "N", "EMAIL", "TEL", "ORG", "TITLE", "NOTE"}
_IGNORED_TYPES = {"internet", "pref", "voice", "x400", "quoted-printable", "base64", "b"}
_TEL_TYPES = {"cell": "mobile", "mobile": "mobile", "work": "work", "home": "home",
              "fax": "fax", "pager": "pager", "main": "work", "iphone": "mobile",
              "other": "other", "car": "other", "video": "other", "msg": "other"}
_EXTRA_LABELS = {"BDAY": "Birthday", "ADR": "Address", "URL": "Web page", "CATEGORIES": "Categories",
                 "NICKNAME": "Nickname", "ROLE": "Role", "UID": "UID", "ANNIVERSARY": "Anniversary",
                 "GENDER": "Gender", "IMPP": "Instant messaging", "TZ": "Time zone", "GEO": "Location",
                 "LANG": "Language", "RELATED": "Related", "X-JABBER": "Jabber", "X-SKYPE": "Skype",
                 "X-TWITTER": "Twitter", "X-AIM": "AIM", "X-ICQ": "ICQ", "X-MSN": "MSN"}


def looks_like_vcard(text_head: str) -> bool:
    for line in text_head.splitlines()[:20]:
        line = line.strip().lstrip("\ufeff")
        if line:
            return line.upper().startswith("BEGIN:VCARD") or line.upper().startswith("BEGIN:VCAR")
    return False


def _prop_name(line: str) -> tuple[str, str, str]:
    """(group, NAME, params) of a logical line."""
    head = line.split(":", 1)[0]
    name, _, params = head.partition(";")
    group, dot, bare = name.rpartition(".")
    return (group if dot else ""), bare.strip().upper(), params


def _logical_lines(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for number, line in lines:
        if line[:1] in (" ", "\t") and out:
            n, prev = out[-1]
            out[-1] = (n, prev + line[1:])
        elif line.strip() or not out:
            out.append((number, line))
    # quoted-printable soft line breaks: "=" at the end joins the next line
    joined: list[tuple[int, str]] = []
    for number, line in out:
        if joined:
            n, prev = joined[-1]
            _, _, params = _prop_name(prev)
            if "QUOTED-PRINTABLE" in params.upper() and prev.endswith("="):
                joined[-1] = (n, prev[:-1] + line)
                continue
        joined.append((number, line))
    return joined


def _decode_qp(line: str) -> str:
    head, sep, value = line.partition(":")
    name, _, params = head.partition(";")
    if not sep or "QUOTED-PRINTABLE" not in params.upper():
        return line
    kept, charset = [], "utf-8"
    for param in params.split(";"):
        key, eq, val = param.partition("=")
        if key.strip().upper() == "CHARSET" and eq:
            charset = val.strip().strip('"') or "utf-8"
        elif param.strip().upper() in ("QUOTED-PRINTABLE", "ENCODING=QUOTED-PRINTABLE"):
            continue
        elif param.strip():
            kept.append(param)
    data = quopri.decodestring(value.encode("latin-1", errors="replace"))
    try:
        text = data.decode(charset)
    except (LookupError, UnicodeDecodeError):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    text = text.replace("\\", "\\\\").replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    return ";".join([name, *kept]) + ":" + text


_VOBJECT_LINE = re.compile(r"At line \d+: ")


def read_vcards(src: Source, report: ImportReport) -> tuple[Iterator[Record], TextLines]:
    lines = TextLines(src, report.warn)
    numbered = [(i, line.rstrip("\r\n")) for i, line in enumerate(lines, 1)]
    report.format = "vcard"
    # (first line, body lines, line before which it ended with no END:VCARD —
    # 0 when it had one, -1 when it ran to the end of the file)
    cards: list[tuple[int, list[tuple[int, str]], int]] = []
    current: list[tuple[int, str]] | None = None
    start = 0
    complete = 0
    damaged: int | None = None  # inside a card whose BEGIN line is not BEGIN:VCARD
    problems: list[tuple[int, str]] = []  # why a card was not complete, by line
    for number, line in numbered:
        bare = line.strip().lstrip("\ufeff").upper()
        if damaged is not None:
            if bare == "END:VCARD":
                damaged = None
            if bare != "BEGIN:VCARD":
                continue
            damaged = None
        if current is None:
            if bare == "BEGIN:VCARD":
                current, start = [], number
            elif bare:
                if bare.startswith("BEGIN:"):
                    damaged = number
                    what = f"{line.strip()[:40]!r} does not start a vCard (expected BEGIN:VCARD)"
                    problems.append((number, what))
                    report.rows += 1
                    report.skip(number, f"{what}; its lines up to the next END:VCARD were skipped")
                    continue
                if not cards:
                    raise src.error(f"expected BEGIN:VCARD, found {line.strip()[:40]!r}; "
                                    "the file is not a valid vCard file, nothing was imported", number)
                report.skip(number, "text between vCards ignored")
        elif bare == "END:VCARD":
            cards.append((start, current, 0))
            complete += 1
            current = None
        elif bare == "BEGIN:VCARD":
            cards.append((start, current, number))  # no END:VCARD: it ends where this one starts
            current, start = [], number
        else:
            current.append((number, line))
    if current is not None:
        cards.append((start, current, -1))
    if not complete:
        problems.extend((first, f"the vCard that starts on line {first} has no END:VCARD")
                        for first, _, _ in cards)
        if problems:
            line, what = min(problems)
            raise src.error(f"{what} and the file has no complete vCard; nothing was imported", line)
        raise src.error("no vCards in the file")

    def records() -> Iterator[Record]:
        import vobject

        photos = 0
        for start, body, open_until in cards:
            report.rows += 1
            logical, unreadable = [], []
            numbers = []  # the file's line of each logical line, for vobject's messages
            for number, line in _logical_lines(body):
                if ":" not in line:
                    if line.strip():
                        report.warn(number, "not a vCard property line; kept as extra data")
                        unreadable.append(line.strip())
                    continue
                _, name, _ = _prop_name(line)
                if name in _BINARY_PROPS:
                    photos += 1
                    continue
                logical.append(_decode_qp(line))
                numbers.append(number)
            text = "BEGIN:VCARD\r\n" + "\r\n".join(logical) + "\r\nEND:VCARD\r\n"
            where = ("" if not open_until else "the end of the file" if open_until < 0
                     else f"line {open_until - 1} (the next vCard starts on line {open_until})")
            try:
                card = vobject.readOne(text, ignoreUnreadable=False)
                rec = _record(start, card, report)
            except Exception as exc:  # vobject raises several types for damaged cards
                reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
                # vobject's "At line N" counts neither the file's lines nor
                # the card's: name the file's line of the text it quotes
                at = _VOBJECT_LINE.match(reason)
                if at:
                    reason = reason[at.end():]
                    quoted = reason.partition("Failed to parse line: ")[2].strip()
                    found = next((n for n, text in zip(numbers, logical)
                                  if quoted and text.strip().startswith(quoted)), None)
                    if found:
                        reason = f"line {found}: {reason}"
                report.skip(start, f"this vCard has no END:VCARD and could not be read up to {where} "
                                   f"({reason})" if where else f"this vCard could not be read ({reason})")
                continue
            if where:
                report.warn(start, f"this vCard has no END:VCARD; it was read up to {where}")
            if rec is None:
                report.skip(start, "vCard with no name, company, e-mail or phone")
                continue
            if unreadable:
                rec.extra["Unreadable vCard line"] = clean("\n".join(unreadable), multiline=True)
            yield rec
        if photos:
            report.notes.append(f"{photos} embedded photo(s) skipped")

    return records(), lines


def _text(value) -> str:
    if isinstance(value, (list, tuple)):
        value = " ".join(str(v) for v in value if v)
    return clean(str(value), multiline=True).replace("\\:", ":").strip()


def _types(child) -> list[str]:
    found = []
    for t in child.params.get("TYPE", []):
        found.extend(x.strip().lower() for x in str(t).split(","))
    found.extend(str(s).lower() for s in getattr(child, "singletonparams", []))
    return [t for t in found if t and t not in _IGNORED_TYPES]


def _label(card, group: str) -> str:
    if not group:
        return ""
    for child in card.getChildren():
        if child.group == group and child.name.upper() == "X-ABLABEL":
            text = _text(child.value)
            m = re.match(r"^_\$!<(.*)>!\$_$", text)
            return (m.group(1) if m else text).strip()
    return ""


def _tel(text: str) -> tuple[str, str]:
    """(number, extension) of a TEL value; a vCard 4.0 ``tel:`` URI
    (``tel:+1-555-555-0199;ext=42``) loses its scheme and parameters."""
    if text[:4].casefold() != "tel:":
        return text, ""
    number, *params = text[4:].split(";")
    ext = next((p.partition("=")[2].strip() for p in params
                if p.partition("=")[0].strip().casefold() == "ext"), "")
    return number.strip(), ext


def _record(line: int, card, report: ImportReport) -> Record | None:
    rec = Record(line=line)
    extra: dict[str, list[str]] = {}
    bad_emails: dict[str, str] = {}  # EMAIL values that are not addresses
    orgs, titles, notes = [], [], []
    pref_email = None
    for child in card.getChildren():
        name = child.name.upper()
        value = child.value
        if isinstance(value, bytes):
            continue
        label = _label(card, child.group)
        if name == "FN":
            rec.name = _text(value)
        elif name == "N":
            rec.first_name = _text(getattr(value, "given", ""))
            rec.last_name = _text(getattr(value, "family", ""))
        elif name == "EMAIL":
            text = _text(value)
            if text:
                types = _types(child)
                kind = label.lower() or next((t for t in types if t in ("work", "home")), "other" if types else "work")
                before = len(rec.emails)
                key = f"E-mail ({label})" if label else "E-mail"
                add_emails(rec.emails, bad_emails, text, kind, key,
                           lambda message: report.warn(line, message))
                if pref_email is None and len(rec.emails) > before and (
                        "pref" in [str(t).lower() for t in child.params.get("TYPE", [])]
                        or "PREF" in [str(s).upper() for s in child.singletonparams]
                        or child.params.get("PREF")):
                    pref_email = rec.emails[before]
        elif name == "TEL":
            text, ext = _tel(_text(value))
            if text:
                types = _types(child)
                kind = label.lower() or next(
                    (_TEL_TYPES[t] for t in ("fax", "pager", "cell", "mobile", "iphone", "work", "home",
                                             "main", "other", "car", "video", "msg") if t in types), "work")
                rec.phones.append({"type": kind, "value": text, **({"ext": ext} if ext else {})})
        elif name == "ORG":
            parts = value if isinstance(value, list) else [value]
            parts = [_text(p) for p in parts if _text(p)]
            if parts:
                orgs.append(parts)
        elif name == "TITLE":
            if _text(value):
                titles.append(_text(value))
        elif name == "NOTE":
            if _text(value):
                notes.append(_text(value))
        elif name in _SKIP_PROPS:
            continue
        else:
            key = _EXTRA_LABELS.get(name) or name.title()
            types = [t for t in _types(child) if t != "pref"]
            if label:
                key = f"{key} ({label})"
            elif types and name in ("ADR", "URL"):
                key = f"{key} ({', '.join(types)})"
            if name == "ADR":
                parts = [getattr(value, a, "") for a in ("box", "extended", "street", "city", "region",
                                                          "code", "country")]
                flat = []
                for p in parts:
                    flat.extend(p if isinstance(p, list) else [p])
                text = ", ".join(_text(p) for p in flat if _text(p))
            elif isinstance(value, list):
                text = ", ".join(_text(v) for v in value if _text(v))
            else:
                text = _text(value)
            if text:
                extra.setdefault(key, []).append(text)
    if pref_email is not None and rec.emails and rec.emails[0] is not pref_email:
        rec.emails.remove(pref_email)
        rec.emails.insert(0, pref_email)
    if orgs:
        rec.company = orgs[0][0]
        if len(orgs[0]) > 1:
            extra.setdefault("Department", []).append(", ".join(orgs[0][1:]))
        for more in orgs[1:]:
            extra.setdefault("Other organization", []).append(", ".join(more))
    if titles:
        rec.title = titles[0]
        for more in titles[1:]:
            extra.setdefault("Other title", []).append(more)
    rec.notes = "\n\n".join(notes)
    if not rec.name:
        rec.name = " ".join(p for p in (rec.first_name, rec.last_name) if p)
    if not rec.name and "Nickname" in extra:
        rec.name = extra["Nickname"][0]
    rec.extra = {k: "; ".join(v) for k, v in extra.items()}
    rec.extra.update(bad_emails)
    if not (rec.display_name() or rec.company or rec.emails or rec.phones):
        return None
    return rec
