"""The status scheme: a short list of statuses with unique first letters.

Plain data and pure functions only; persistence lives in :mod:`store.db`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

from .errors import StoreError

#: Status roles with special behaviour.  ``personal`` is the status labelled
#: with the owner's own name; ``delete`` marks contacts for a later purge.
ROLE_PERSONAL = "personal"
ROLE_DELETE = "delete"
#: Prospects and new leads: the statuses a marketing export selects.
ROLE_PROSPECT = "prospect"
ROLE_LEAD = "lead"
MARKETING_ROLES = (ROLE_PROSPECT, ROLE_LEAD)

DEFAULT_OWNER_NAME = "Me"

#: First-touch rule for new leads: a lead is due for a call on the day it
#: arrives, and every ``NEW_LEAD_CALL_DAYS`` days after a reached call until
#: the user qualifies it with another status.
NEW_LEAD_CALL_DAYS = 3


@dataclass(frozen=True)
class Status:
    """One status of the scheme.  ``key`` is the upper-case first letter."""

    id: int | None
    name: str
    call_days: int | None
    email_days: int | None
    meaning: str
    role: str | None = None
    position: int = 0

    @cached_property
    def key(self) -> str:
        return status_key(self.name)

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "name": self.name,
            "call_days": self.call_days,
            "email_days": self.email_days,
            "meaning": self.meaning,
        }


def status_key(name: str) -> str:
    """The key of a status (or status 2 value): its first letter, upper
    case, without its accent (``Émile`` → ``E``), since the key is typed as
    a plain letter.  A first character with no plain A–Z letter (``ß``,
    ``ﬀ``, ``Ж``, a digit) gives itself; :func:`check_key` refuses it."""
    first = name.strip()[:1]
    base = unicodedata.normalize("NFKD", first)[:1].upper()
    return base if len(base) == 1 and "A" <= base <= "Z" else first


def check_key(name: str, what: str) -> str:
    """The key of ``name``, or :class:`StoreError` when it has none that can
    be typed (see :func:`status_key`)."""
    key = status_key(name)
    if not ("A" <= key <= "Z"):
        raise StoreError(f"{what} {name.strip()!r} must start with a letter A–Z (an accented "
                         "letter counts as its plain one): its first letter is the key that sets it")
    return key


def default_statuses(owner_name: str = DEFAULT_OWNER_NAME) -> list[Status]:
    """The default list, in queue priority order (see README, "Queue order")."""
    rows = [
        ("Key Client", 90, 30, "Clients you pay regular attention to.", None),
        ("Secondary Client", 180, 90, "Likely to do more business; worth regular contact.", None),
        ("New Lead", NEW_LEAD_CALL_DAYS, None,
         "Just arrived, not yet qualified: call on arrival, then every "
         f"{NEW_LEAD_CALL_DAYS} days until you reclassify.", None),
        ("Inactive Client", 365, 90, "May never buy again, or very small; one step above a prospect.", None),
        ("Prospect", 182, None, "Never done business with you.", None),
        ("Employee", None, None, "Colleagues.", None),
        (owner_name, None, None, "Your personal contacts: doctor, lawyer, friends, family.", ROLE_PERSONAL),
        ("Vendor", None, None, "Suppliers.", None),
        ("Delete", None, None, "Marked for deletion; removed only by a purge after a verified backup.", ROLE_DELETE),
    ]
    return [
        Status(None, name, call, email, meaning, role, position)
        for position, (name, call, email, meaning, role) in enumerate(rows)
    ]


def validate_scheme(statuses: list[Status]) -> None:
    """Raise :class:`StoreError` unless names are usable and first letters unique."""
    seen: dict[str, Status] = {}
    for status in statuses:
        name = status.name.strip()
        if not name:
            raise StoreError("a status needs a name")
        check_key(name, "status")
        for label, days in (("call", status.call_days), ("e-mail", status.email_days)):
            if days is not None and (not isinstance(days, int) or days < 1):
                raise StoreError(
                    f"status {name!r}: {label} every {days!r} days is not a whole number of days ≥ 1"
                )
        key = status_key(name)
        if key in seen:
            raise StoreError(
                f"statuses {seen[key].name!r} and {name!r} both start with {key!r}; "
                "every status needs its own first letter"
            )
        seen[key] = status
    roles = [s.role for s in statuses if s.role]
    for role in (ROLE_PERSONAL, ROLE_DELETE):
        if roles.count(role) > 1:
            raise StoreError(f"only one status can have the {role} role")


def normalize_raw(raw: str) -> str:
    """Case- and space-insensitive form of a raw status value (used as a map key)."""
    text = re.sub(r"\s+", " ", raw.strip().lower())
    return text


def match_status(raw: str | None, statuses: list[Status]) -> Status | None:
    """The status a raw imported value clearly names, or ``None``.

    Matches ignore case, surrounding and repeated spaces, and a plural "s":
    ``"KEY CLIENT"``, ``"key client "`` and ``"Key Clients"`` all name Key
    Client.  Abbreviations and synonyms (``"Prosp."``, ``"Customer"``) are
    not guessed: they stay unclassified until the user maps them.
    """
    if raw is None:
        return None
    norm = normalize_raw(raw)
    if not norm:
        return None
    by_name = {normalize_raw(s.name): s for s in statuses}
    if norm in by_name:
        return by_name[norm]
    if norm.endswith("s") and not norm.endswith("ss") and norm[:-1] in by_name:
        return by_name[norm[:-1]]
    return None
