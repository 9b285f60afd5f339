"""Which file column feeds which contact field.

Three layers, first match wins (README, "Column mapping"):

1. the exporter's own headers, when the header row is recognised as one of
   the known exporters (Act!, Outlook, Google Contacts, Thunderbird,
   LinkedIn);
2. aliases: common names for each field, compared without case, spaces or
   punctuation (``E-mail``, ``email``, ``E Mail`` are one alias);
3. a fuzzy match (rapidfuzz) against those aliases for misspellings such as
   ``E-mail Adress``.

A column that matches nothing — or a field a previous column already took —
is kept as extra data under its header.  ``--map 'Header=field'`` overrides
all of this for one column and wins over the automatic mapping: a column
that would have fed the same single-valued field becomes extra data (the
summary says so).  A file with both ``Title`` and ``Job Title`` (Outlook
writes both) keeps ``Title``, the honorific, as extra data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import StoreError

#: Fields a column can feed (the names ``--map`` accepts), with a description.
FIELDS = {
    "name": "full name",
    "first_name": "first name",
    "last_name": "last name",
    "company": "company",
    "title": "job title",
    "email": "e-mail (work; the first one is the address you write to)",
    "email_home": "personal e-mail",
    "email_other": "another e-mail",
    "phone": "phone (work)",
    "mobile": "mobile phone",
    "home_phone": "home phone",
    "other_phone": "another phone",
    "fax": "fax",
    "pager": "pager",
    "extension": "extension of the work phone",
    "status": "status as written (e.g. Act!'s ID/Status)",
    "status2": "status 2 value (your second list: industry, source…)",
    "owner": "who owns the contact (Act!'s Record Manager)",
    "notes": "notes",
    "last_results": "note on the latest call or meeting",
    "last_reach": "date of the last reached call",
    "last_attempt": "date of the last call attempt",
    "last_meeting": "date of the last meeting",
    "last_email": "date of the last e-mail sent",
    "created": "date the contact arrived",
    "edited": "date the contact was last edited (kept as extra data)",
    "extra": "keep as extra data under the column's header",
}
EMAIL_FIELDS = {"email": "work", "email_home": "home", "email_other": "other"}
PHONE_FIELDS = {"phone": "work", "mobile": "mobile", "home_phone": "home",
                "other_phone": "other", "fax": "fax", "pager": "pager"}
DATE_FIELDS = ("last_reach", "last_attempt", "last_meeting", "last_email", "created", "edited")
MULTI_FIELDS = set(EMAIL_FIELDS) | set(PHONE_FIELDS) | {"extra"}
#: Fields that make a row a contact (one must be mapped for a header to count).
CONTACT_FIELDS = {"name", "first_name", "last_name", "company", "email", "email_home",
                  "email_other"}

PROFILES: dict[str, dict[str, str]] = {
    "act": {
        "contact": "name", "first name": "first_name", "last name": "last_name",
        "company": "company", "title": "title", "e-mail": "email",
        "personal e-mail": "email_home", "phone": "phone", "mobile phone": "mobile",
        "home phone": "home_phone", "alternate phone": "other_phone", "fax phone": "fax",
        "pager": "pager", "extension": "extension", "id/status": "status",
        "last results": "last_results", "last reach": "last_reach",
        "last attempt": "last_attempt", "last meeting": "last_meeting",
        "last e-mail": "last_email", "create date": "created", "edit date": "edited", "record manager": "owner",
        "notes": "notes", "note": "notes",
    },
    "outlook": {
        "first name": "first_name", "last name": "last_name", "company": "company",
        "job title": "title", "e-mail address": "email", "e-mail 2 address": "email_other",
        "e-mail 3 address": "email_other", "business phone": "phone",
        "business phone 2": "other_phone", "mobile phone": "mobile", "home phone": "home_phone",
        "home phone 2": "other_phone", "other phone": "other_phone", "business fax": "fax",
        "home fax": "fax", "pager": "pager", "notes": "notes", "company main phone": "other_phone",
        "primary phone": "phone",
    },
    "google": {
        "name": "name", "given name": "first_name", "family name": "last_name",
        "notes": "notes", "organization 1 - name": "company", "organization 1 - title": "title",
    },
    "thunderbird": {
        "first name": "first_name", "last name": "last_name", "display name": "name",
        "primary email": "email", "secondary email": "email_other", "work phone": "phone",
        "home phone": "home_phone", "fax number": "fax", "pager number": "pager",
        "mobile number": "mobile", "job title": "title", "organization": "company",
        "notes": "notes",
    },
    "linkedin": {
        "first name": "first_name", "last name": "last_name", "email address": "email",
        "company": "company", "position": "title", "connected on": "created",
    },
}
#: Headers that identify an exporter; two of them must be present.
MARKERS = {
    "act": {"contact", "id/status", "record manager", "last reach", "last attempt",
            "last results", "create date", "edit date", "last meeting"},
    "outlook": {"e-mail address", "e-mail 2 address", "business phone", "business fax",
                "job title", "e-mail display name"},
    "google": {"given name", "family name", "e-mail 1 - value", "phone 1 - value",
               "organization 1 - name", "group membership"},
    "thunderbird": {"primary email", "secondary email", "display name", "mobile number",
                    "work phone", "fax number"},
    "linkedin": {"connected on", "position", "url", "email address"},
}
FORMAT_NAMES = {"act": "Act!", "outlook": "Outlook CSV", "google": "Google Contacts CSV",
                "thunderbird": "Thunderbird CSV", "linkedin": "LinkedIn connections",
                "csv": "CSV", "xlsx": "Excel workbook", "vcard": "vCard"}

_ALIASES = {
    "name": ["name", "full name", "contact", "contact name", "display name", "person"],
    "first_name": ["first name", "first", "given name", "forename", "firstname"],
    "last_name": ["last name", "last", "surname", "family name", "lastname"],
    "company": ["company", "company name", "organization", "organisation", "org", "employer",
                "account", "account name", "business name", "firm"],
    "title": ["title", "job title", "position", "role", "job"],
    "email": ["email", "e-mail", "email address", "e-mail address", "mail", "email 1",
              "primary email", "work email", "business email", "e-mail 1"],
    "email_home": ["personal email", "home email", "private email", "personal e-mail"],
    "email_other": ["email 2", "secondary email", "other email", "alternate email", "e-mail 2",
                    "email 3", "e-mail 3"],
    "phone": ["phone", "telephone", "tel", "phone number", "work phone", "business phone",
              "office phone", "direct phone", "phone 1", "telephone number", "main phone"],
    "mobile": ["mobile", "mobile phone", "cell", "cell phone", "mobile number", "cellphone",
               "handy"],
    "home_phone": ["home phone", "private phone", "home telephone"],
    "other_phone": ["other phone", "alternate phone", "phone 2", "phone 3"],
    "fax": ["fax", "fax number", "fax phone", "business fax", "telefax"],
    "pager": ["pager", "pager number"],
    "extension": ["extension", "ext", "phone extension"],
    "status": ["status", "id/status", "contact status", "stage", "lead status", "id status"],
    "status2": ["status 2", "status2", "status two", "second status"],
    "owner": ["owner", "record manager", "account owner", "contact owner", "sales rep",
              "salesperson", "assigned to"],
    "notes": ["notes", "note", "comments", "comment", "remarks", "description"],
    "last_results": ["last results", "last result", "last outcome"],
    "last_reach": ["last reach", "last contact", "last contacted", "last call", "last reached"],
    "last_attempt": ["last attempt", "last call attempt"],
    "last_meeting": ["last meeting"],
    "last_email": ["last e-mail", "last email", "last e-mail sent", "last email sent",
                   "last emailed"],
    "created": ["created", "create date", "created on", "date added", "added", "created date",
                "connected on", "creation date"],
    "edited": ["edit date", "modified", "last modified", "updated", "last updated"],
}


def norm_header(label: str) -> str:
    return re.sub(r"[\W_]+", "", label.casefold())


ALIASES: dict[str, str] = {}
for _field, _names in _ALIASES.items():
    for _n in _names:
        ALIASES.setdefault(norm_header(_n), _field)

_PAIR = re.compile(r"^(e-?mail|phone)\s*(\d+)\s*-\s*(type|value)$")


@dataclass
class Column:
    index: int
    label: str  # the header as shown to the user (made unique)
    field: str | None  # a FIELDS key, None = extra data
    how: str = ""  # "exporter", "alias", "fuzzy", "--map", "pair", "honorific", "demoted" or ""
    type_index: int | None = None  # Google's "E-mail 1 - Type" for "E-mail 1 - Value"
    #: for a column kept as extra data because a chosen column took its
    #: field: (the field it would have fed, the label of that chosen column)
    demoted: tuple[str, str] | None = None


def detect_profile(headers: list[str]) -> str | None:
    folded = {h.strip().casefold() for h in headers}
    best, best_hits = None, 1
    for name, markers in MARKERS.items():
        hits = len(folded & markers)
        if hits > best_hits:
            best, best_hits = name, hits
    return best


def unique_labels(headers: list[str]) -> list[str]:
    """The headers as shown: stripped, ``Column N`` for a blank one, and a
    repeated one numbered (``x``, ``x (2)``, ``x (3)``…).  Linear however
    many columns share a name."""
    labels: list[str] = []
    seen: set[str] = set()
    next_number: dict[str, int] = {}
    for index, raw in enumerate(headers):
        label = raw.strip() or f"Column {index + 1}"
        if label in seen:
            n = next_number.get(label, 2)
            while f"{label} ({n})" in seen:
                n += 1
            next_number[label] = n + 1
            label = f"{label} ({n})"
        seen.add(label)
        labels.append(label)
    return labels


def map_columns(headers: list[str], profile: str | None,
                overrides: dict[str, str] | None = None) -> list[Column]:
    """One :class:`Column` per header.

    ``overrides`` (``--map``, or a field chosen on the import screen) name a
    column by its header or its shown label (``x (2)``) and always win: a
    column that would have fed the same single-valued field on its own is
    kept as extra data instead, with :attr:`Column.demoted` saying why.
    """
    labels = unique_labels(headers)
    wanted = {k.strip().casefold(): v for k, v in (overrides or {}).items()}
    known = {label.casefold() for label in labels}
    for header, target in (overrides or {}).items():
        if header.strip().casefold() not in known:
            raise StoreError(
                f"--map: the file has no column {header!r} (its columns: "
                f"{', '.join(h.strip() for h in headers if h.strip())})")
        if target not in FIELDS:
            raise StoreError(f"--map: unknown field {target!r} (fields: {', '.join(FIELDS)})")
    # the columns each override names: its shown label, else every column
    # with that header
    chosen: dict[int, str] = {}
    chosen_by: dict[str, str] = {}  # single-valued field → override key
    for index, (raw, label) in enumerate(zip(headers, labels)):
        key = label.casefold()
        if key not in wanted:
            key = raw.strip().casefold()
            if key in wanted and wanted[key] not in MULTI_FIELDS:
                # "Phone=company" with two Phone columns: the first one
                # (its label is the header) feeds company; "Phone (2)" keeps
                # its own field, and "Phone (2)=company" would choose it
                continue
        if key not in wanted:
            continue
        target = wanted[key]
        if target not in MULTI_FIELDS:
            earlier = chosen_by.setdefault(target, key)
            if earlier != key:
                raise StoreError(f"--map: {_named(overrides, earlier)!r} and {_named(overrides, key)!r} "
                                 f"both feed {target}, which takes one column; choose one")
        chosen[index] = target
    exporter = PROFILES.get(profile or "", {})
    # Outlook's "Title" is the honorific (Dr., Mr.) beside its "Job Title";
    # so is any file's "Title" when the file also has a "Job Title"
    honorific = profile == "outlook" or "job title" in {h.strip().casefold() for h in headers}
    columns: list[Column] = []
    taken: dict[str, str] = {}  # single-valued field → label of the column feeding it
    for index, target in chosen.items():
        if target not in MULTI_FIELDS:
            taken.setdefault(target, labels[index])
    pairs: dict[tuple[str, str, str], int] = {}
    for index, raw in enumerate(headers):
        m = _PAIR.match(raw.strip().casefold())
        if m:
            pairs[(m.group(1).replace("-", ""), m.group(2), m.group(3))] = index
    from rapidfuzz import fuzz, process

    alias_keys = list(ALIASES)
    for index, raw in enumerate(headers):
        label = labels[index]
        folded = raw.strip().casefold()
        field, how, type_index, demoted = None, "", None, None
        if index in chosen:
            field, how = chosen[index], "--map"
            if field == "extra":
                field = None
            elif field not in MULTI_FIELDS and taken.get(field) != label:
                # one override matching several columns of the same header
                demoted, field, how = (field, taken[field]), None, "demoted"
        else:
            m = _PAIR.match(folded)
            if m:
                kind = m.group(1).replace("-", "")
                if m.group(3) == "value":
                    field, how = ("email" if kind == "email" else "phone"), "pair"
                    type_index = pairs.get((kind, m.group(2), "type"))
                else:
                    field, how = "pair_type", "pair"
            elif folded == "title" and honorific:
                how = "honorific"
            elif folded in exporter:
                field, how = exporter[folded], "exporter"
            else:
                key = norm_header(raw)
                if key in ALIASES:
                    field, how = ALIASES[key], "alias"
                elif len(key) >= 5:
                    hit = process.extractOne(key, alias_keys, scorer=fuzz.ratio, score_cutoff=86)
                    if hit:
                        field, how = ALIASES[hit[0]], "fuzzy"
            if field and field not in MULTI_FIELDS and field != "pair_type":
                if field in taken:
                    if field in chosen_by:
                        demoted, how = (field, taken[field]), "demoted"
                    else:
                        how = ""
                    field = None
                else:
                    taken[field] = label
        columns.append(Column(index, label, field, how, type_index, demoted))
    # a "Type" column whose "Value" column is absent is plain extra data
    used_types = {c.type_index for c in columns if c.type_index is not None}
    for c in columns:
        if c.field == "pair_type" and c.index not in used_types:
            c.field, c.how = None, ""
    return columns


def _named(overrides: dict[str, str] | None, key: str) -> str:
    """An override's header as the user typed it."""
    return next((h for h in overrides or {} if h.strip().casefold() == key), key)


def demotion_note(column: Column) -> str:
    field, by = column.demoted
    return (f"column {column.label!r} kept as extra data: {field} comes from {by!r}, "
            "as you mapped it")


def has_contact_columns(columns: list[Column]) -> bool:
    return any(c.field in CONTACT_FIELDS or (c.how == "pair" and c.field == "email")
               for c in columns)


def parse_map_option(values) -> dict[str, str]:
    """``['Their Header=field', ...]`` → {header: field}."""
    out: dict[str, str] = {}
    for item in values or ():
        header, sep, target = item.rpartition("=")
        if not sep or not header.strip():
            raise StoreError(f"--map {item!r}: expected 'Their Header=field'")
        out[header.strip()] = target.strip().lower()
    return out
