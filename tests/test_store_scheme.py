"""The status scheme: defaults, unique first letters, matching raw values, owner name.

Expected values come from the product brief (docs/PRODUCT.md) and the store
spec, written out by hand here -- never copied from the store's output.
"""

from __future__ import annotations

from datetime import date

import pytest

from store import Store, StoreError, import_file, match_status
from store.scheme import Status, default_statuses, validate_scheme

TODAY = date(2026, 12, 3)

# (name, key, call every, e-mail every) in queue-priority order, from the spec.
DEFAULT_SCHEME = [
    ("Key Client", "K", 90, 30),
    ("Secondary Client", "S", 180, 90),
    ("New Lead", "N", 3, None),
    ("Inactive Client", "I", 365, 90),
    ("Prospect", "P", 182, None),
    ("Employee", "E", None, None),
    ("Me", "M", None, None),
    ("Vendor", "V", None, None),
    ("Delete", "D", None, None),
]


@pytest.fixture
def db(tmp_path):
    s = Store(tmp_path / "scheme.db", today=TODAY)
    yield s
    s.close()


# ------------------------------------------------------------------ defaults
def test_default_statuses_names_keys_and_cadences():
    got = [(s.name, s.key, s.call_days, s.email_days) for s in default_statuses()]
    assert got == DEFAULT_SCHEME


def test_default_statuses_personal_status_takes_owner_name():
    statuses = default_statuses("Alex")
    personal = [s for s in statuses if s.role == "personal"]
    assert [(s.name, s.key, s.call_days, s.email_days) for s in personal] == [
        ("Alex", "A", None, None)
    ]
    assert [s.role for s in statuses if s.name == "Delete"] == ["delete"]


def test_defaults_pass_validation():
    validate_scheme(default_statuses())  # must not raise


def test_new_database_holds_the_default_scheme_in_order(db):
    got = [(s.name, s.key, s.call_days, s.email_days) for s in db.statuses()]
    assert got == DEFAULT_SCHEME
    assert db.owner_name() == "Me"


def test_default_scheme_survives_reopen(tmp_path):
    path = tmp_path / "reopen.db"
    Store(path, today=TODAY).close()
    with Store(path, today=TODAY) as again:
        assert [(s.name, s.key, s.call_days, s.email_days) for s in again.statuses()] == DEFAULT_SCHEME


# ------------------------------------------------------------ validate_scheme
def _status(name, call=None, email=None, position=0, role=None):
    return Status(None, name, call, email, "", role, position)


@pytest.mark.parametrize(
    "first, second",
    [("Prospect", "Partner"), ("Key Client", "Kim"), ("Vendor", "volunteer"), ("Delete", "Doctor")],
)
def test_validate_scheme_rejects_shared_first_letter_naming_both(first, second):
    statuses = [_status("Employee"), _status(first), _status(second, position=2)]
    with pytest.raises(StoreError) as info:
        validate_scheme(statuses)
    message = str(info.value)
    assert first in message
    assert second in message


def test_validate_scheme_rejects_clash_added_to_the_defaults():
    statuses = default_statuses() + [_status("Supplier", position=9)]
    with pytest.raises(StoreError) as info:
        validate_scheme(statuses)
    assert "Secondary Client" in str(info.value)
    assert "Supplier" in str(info.value)


def test_validate_scheme_accepts_unique_letters():
    validate_scheme([_status("Alpha", 10, 5), _status("Bravo"), _status("Charlie", None, 7)])


@pytest.mark.parametrize("name", ["", "   ", "1st Client", "-Key"])
def test_validate_scheme_rejects_unusable_names(name):
    with pytest.raises(StoreError):
        validate_scheme([_status(name)])


@pytest.mark.parametrize("days", [0, -3])
def test_validate_scheme_rejects_non_positive_cadence(days):
    with pytest.raises(StoreError):
        validate_scheme([_status("Alpha", call=days)])
    with pytest.raises(StoreError):
        validate_scheme([_status("Alpha", email=days)])


# --------------------------------------------------------------- match_status
@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Key Client", "Key Client"),
        ("KEY CLIENT", "Key Client"),
        ("key client ", "Key Client"),
        ("  key   client  ", "Key Client"),
        ("Key Clients", "Key Client"),
        ("key\tclient", "Key Client"),
        ("Secondary Client", "Secondary Client"),
        ("secondary clients", "Secondary Client"),
        ("InActive Client", "Inactive Client"),
        ("New Leads", "New Lead"),
        ("NEW LEAD", "New Lead"),
        (" Prospect", "Prospect"),
        ("Prospects", "Prospect"),
        ("PROSPECT", "Prospect"),
        ("employee", "Employee"),
        ("Vendors", "Vendor"),
        ("DELETE", "Delete"),
        ("me", "Me"),
    ],
)
def test_match_status_recognises_spellings(raw, expected):
    got = match_status(raw, default_statuses())
    assert got is not None, raw
    assert got.name == expected


@pytest.mark.parametrize(
    "raw",
    [
        "Prosp.", "Customer", "Key", "Client - Key", "Sec. Client", "2nd Client", "Inactive",
        "Former Client", "delete me", "Lead", "Staff", "Supplier", "???", "", "   ", None,
        "Key Client.", "Prospectss",
    ],
)
def test_match_status_leaves_unclear_values_unclassified(raw):
    assert match_status(raw, default_statuses()) is None


def test_match_status_uses_the_given_scheme():
    renamed = default_statuses("Alex")
    assert match_status("alex", renamed).name == "Alex"
    assert match_status("Me", renamed) is None


# ---------------------------------------------------------------- owner name
def test_set_owner_name_renames_personal_status(db):
    db.set_owner_name("Alex")
    assert db.owner_name() == "Alex"
    names = [s.name for s in db.statuses()]
    assert "Alex" in names and "Me" not in names
    assert db.status_by_key("A").name == "Alex"
    assert db.status_by_key("a").role == "personal"
    with pytest.raises(StoreError):
        db.status_by_key("M")


def test_set_owner_name_persists(tmp_path):
    path = tmp_path / "owner.db"
    with Store(path, today=TODAY) as s:
        s.set_owner_name("Robin")
    with Store(path, today=TODAY) as s:
        assert s.owner_name() == "Robin"
        personal = [st for st in s.statuses() if st.role == "personal"]
        assert [(st.name, st.key, st.call_days, st.email_days) for st in personal] == [
            ("Robin", "R", None, None)
        ]


@pytest.mark.parametrize(
    "name, other",
    [("Kim", "Key Client"), ("kate", "Key Client"), ("Sam", "Secondary Client"),
     ("Dana", "Delete"), ("Pat", "Prospect"), ("Ivy", "Inactive Client"), ("Nora", "New Lead"),
     ("Eve", "Employee"), ("Val", "Vendor")],
)
def test_set_owner_name_rejects_a_clashing_name(db, name, other):
    with pytest.raises(StoreError) as info:
        db.set_owner_name(name)
    message = str(info.value)
    assert other in message
    assert name in message
    # nothing changed
    assert db.owner_name() == "Me"
    assert [s.name for s in db.statuses()] == [row[0] for row in DEFAULT_SCHEME]


@pytest.mark.parametrize("name", ["", "   ", "42"])
def test_set_owner_name_rejects_unusable_name(db, name):
    with pytest.raises(StoreError):
        db.set_owner_name(name)
    assert db.owner_name() == "Me"


def test_set_owner_name_strips_escape_sequences(db):
    db.set_owner_name("\x1b[31mAlex")
    assert db.owner_name() == "Alex"


def test_personal_status_has_no_cadence_after_rename(db):
    db.set_owner_name("Alex")
    alex = db.status_by_key("A")
    assert (alex.call_days, alex.email_days) == (None, None)


def test_import_maps_raw_value_naming_the_owner(tmp_path, db):
    db.set_owner_name("Alex")
    csv_path = tmp_path / "owner.csv"
    csv_path.write_text(
        "Contact,E-mail,ID/Status\r\nDr Who,who@x.test,alex\r\nOld Me,me@x.test,Me\r\n",
        encoding="utf-8",
    )
    import_file(db, csv_path)
    by_name = {c["name"]: c for c in db.contacts()}
    assert by_name["Dr Who"]["status"] == "Alex"
    assert by_name["Dr Who"]["status_key"] == "A"
    assert by_name["Old Me"]["status"] is None
    assert by_name["Old Me"]["status_raw"] == "Me"

