"""Importing an Act! "text delimited" export into the store.

Expected values are worked out independently: literal values read by hand
from the CSV text, or recomputed here with the ``csv`` module and a
re-implementation of the spec's matching rule.  Nothing is copied from the
store's own output.
"""

from __future__ import annotations

import csv
import io
import random
import sqlite3
import zipfile
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest

import store.importer as importer
from store import Store, StoreError, import_file

TODAY = date(2026, 12, 3)
from conftest import FIXTURES  # noqa: E402
ACT_CSV = FIXTURES / "act" / "act_export_300.csv"

needs_act = pytest.mark.skipif(
    not ACT_CSV.is_file(),
    reason=f"shared test fixtures not found: {ACT_CSV} is absent "
    "(../shared/fixtures sits beside the project checkout in CI)",
)

# Act! labels the store maps to contact fields (spec); every other column is extra.
MAPPED_LABELS = {
    "Company", "Contact", "First Name", "Last Name", "Title", "Phone", "Extension",
    "Mobile Phone", "Fax Phone", "E-mail", "ID/Status", "Last Results", "Last Reach",
    "Last Attempt", "Last Meeting", "Create Date", "Edit Date", "Record Manager",
}
PHONE_LABELS = ("Phone", "Mobile Phone", "Fax Phone")

# The default scheme, written out from the spec.
SCHEME = [
    "Key Client", "Secondary Client", "New Lead", "Inactive Client", "Prospect",
    "Employee", "Me", "Vendor", "Delete",
]


# ---------------------------------------------------------------- the model
def classify(raw: str) -> str | None:
    """The spec's matching rule, re-implemented: case, spaces and a plural s ignored."""
    norm = " ".join(raw.split()).lower()
    names = {n.lower(): n for n in SCHEME}
    if norm in names:
        return names[norm]
    if norm.endswith("s") and norm[:-1] in names:
        return names[norm[:-1]]
    return None


def mdy(text: str) -> date | None:
    text = text.strip()
    return datetime.strptime(text, "%m/%d/%Y").date() if text else None


def csv_rows() -> list[dict]:
    with open(ACT_CSV, encoding="cp1252", newline="") as fh:
        return list(csv.DictReader(fh))


def identity(email: str, name: str, company: str):
    email = (email or "").strip()
    if email:
        return email.casefold()
    return (name.strip().casefold(), (company or "").strip().casefold())


def csv_groups() -> dict:
    """Rows grouped the way the spec merges duplicates: same e-mail in any case."""
    groups: dict = {}
    for row in csv_rows():
        key = identity(row["E-mail"], row["Contact"], row["Company"])
        groups.setdefault(key, []).append(row)
    return groups


# -------------------------------------------------------------- store helpers
def counts(s: Store) -> tuple[int, int]:
    return (
        s.conn.execute("SELECT count(*) FROM contacts").fetchone()[0],
        s.conn.execute("SELECT count(*) FROM activities").fetchone()[0],
    )


def snapshot(s: Store) -> tuple[list, list]:
    contacts = [tuple(r) for r in s.conn.execute("SELECT * FROM contacts ORDER BY id")]
    acts = [tuple(r) for r in s.conn.execute("SELECT * FROM activities ORDER BY id")]
    return contacts, acts


def find(s: Store, name: str, company: str = "") -> dict:
    hits = [c for c in s.contacts() if c["name"] == name and (c["company"] or "") == company]
    assert len(hits) == 1, f"expected one contact {name!r} at {company!r}, found {len(hits)}"
    return hits[0]


def acts(s: Store, cid: int) -> list[tuple]:
    """Non-status history as sorted (kind, outcome, day, note) tuples."""
    return sorted(
        (a["kind"], a["outcome"], a["at"][:10], a["note"])
        for a in s.history(cid)
        if a["kind"] != "status"
    )


@pytest.fixture
def fresh(tmp_path):
    s = Store(tmp_path / "fresh.db", today=TODAY)
    yield s
    s.close()


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """One read-only import of the Act! file shared by the checks below."""
    if not ACT_CSV.is_file():
        pytest.skip(f"shared test fixtures not found: {ACT_CSV} is absent")
    s = Store(tmp_path_factory.mktemp("act") / "act.db", today=TODAY)
    report = import_file(s, ACT_CSV)
    yield s, report
    s.close()


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# ------------------------------------------------------------ summary counts
@needs_act
def test_report_counts_match_csv_module(imported):
    s, report = imported
    rows = csv_rows()
    groups = csv_groups()
    unclassified = sum(1 for g in groups.values() if classify(g[0]["ID/Status"]) is None)

    assert len(rows) == 300  # sanity of the independent reading
    assert report.rows == len(rows)
    assert report.added == len(groups)
    assert report.merged == len(rows) - len(groups)
    assert report.merged == 3  # three e-mails appear twice, in another case
    assert report.unclassified == unclassified
    assert report.skipped == []
    assert s.count_contacts() == len(groups)
    assert s.count_contacts(status="-") == unclassified


@needs_act
def test_report_encoding_and_extra_columns(imported):
    _, report = imported
    assert report.encoding == "cp1252"
    with open(ACT_CSV, encoding="cp1252", newline="") as fh:
        header = next(csv.reader(fh))
    assert sorted(report.extra_columns) == sorted(h for h in header if h not in MAPPED_LABELS)
    assert sorted(report.extra_columns) == sorted(
        ["Address 1", "City", "State", "ZIP Code", "Country", "Referred By", "User 1"]
    )


@needs_act
def test_unmapped_statuses_counted_per_contact(imported):
    _, report = imported
    expected = Counter(
        g[0]["ID/Status"].strip()
        for g in csv_groups().values()
        if g[0]["ID/Status"].strip() and classify(g[0]["ID/Status"]) is None
    )
    assert report.unmapped_statuses == dict(expected)
    # a few read by hand from the file
    assert report.unmapped_statuses["Prosp."] == 16
    assert report.unmapped_statuses["Former Client"] == 7
    assert report.unmapped_statuses["Seminar 2019"] == 6  # 7 rows, one is a duplicate


@needs_act
def test_status_breakdown_matches_csv(imported):
    s, _ = imported
    expected = Counter(classify(g[0]["ID/Status"]) for g in csv_groups().values())
    for name in SCHEME:
        key = name[0]
        assert s.count_contacts(status=key) == expected.get(name, 0), name


# -------------------------------------------------- every contact vs the CSV
@needs_act
def test_every_contact_matches_its_csv_rows(imported):
    s, _ = imported
    groups = csv_groups()
    by_key = {}
    for c in s.contacts():
        key = identity(c["email"] or "", c["name"], c["company"] or "")
        assert key not in by_key, f"two contacts for {key}"
        by_key[key] = c
    assert set(by_key) == set(groups)

    extra_labels = [h for h in groups[next(iter(groups))][0] if h not in MAPPED_LABELS]
    for key, rows in groups.items():
        first = rows[0]
        c = by_key[key]
        where = f"{first['Contact']} / {first['Company']}"
        assert c["name"] == first["Contact"].strip(), where
        assert (c["company"] or "") == first["Company"].strip(), where
        assert (c["first_name"] or "") == first["First Name"].strip(), where
        assert (c["last_name"] or "") == first["Last Name"].strip(), where
        assert (c["title"] or "") == first["Title"].strip(), where
        assert (c["email"] or "") == first["E-mail"].strip(), where
        assert (c["owner"] or "") == first["Record Manager"].strip(), where
        assert c["status"] == classify(first["ID/Status"]), where
        assert (c["status_raw"] or "") == first["ID/Status"].strip(), where
        # primary phone: the first filled phone column of the first row
        first_phone = next((first[p].strip() for p in PHONE_LABELS if first[p].strip()), "")
        assert (c["phone"] or "") == first_phone, where
        all_phones = {r[p].strip() for r in rows for p in PHONE_LABELS if r[p].strip()}
        assert {p["value"] for p in c["phones"]} == all_phones, where
        assert len(c["phones"]) == len(all_phones), where
        created = min(mdy(r["Create Date"]) for r in rows)
        assert c["created_at"][:10] == created.isoformat(), where
        for label in extra_labels:
            if first[label].strip():
                assert c["extra"].get(label) == first[label], (where, label)
        # the history: one activity per Last Reach / Attempt / Meeting date
        want = sorted(
            {(kind, outcome, mdy(r[col]).isoformat())
             for r in rows
             for col, kind, outcome in (("Last Reach", "call", "reached"),
                                        ("Last Attempt", "call", "attempt"),
                                        ("Last Meeting", "meeting", "held"))
             if r[col].strip()}
        )
        got = sorted((k, o, d) for k, o, d, _ in acts(s, c["id"]) if k != "note")
        assert got == want, where


@needs_act
def test_last_results_attached_to_latest_activity_for_every_contact(imported):
    s, _ = imported
    by_key = {identity(c["email"] or "", c["name"], c["company"] or ""): c for c in s.contacts()}
    for key, rows in csv_groups().items():
        first = rows[0]
        results = first["Last Results"].strip()
        history = acts(s, by_key[key]["id"])
        notes = [(k, o, d, n) for k, o, d, n in history if n]
        if not results:
            assert notes == [], first["Contact"]
            continue
        dated = [
            (mdy(first[col]), kind, outcome)
            for col, kind, outcome in (("Last Reach", "call", "reached"),
                                       ("Last Attempt", "call", "attempt"),
                                       ("Last Meeting", "meeting", "held"))
            if first[col].strip()
        ]
        if dated:
            day, kind, outcome = max(dated, key=lambda t: t[0])
        else:
            day, kind, outcome = mdy(first["Edit Date"]), "note", None
        assert notes == [(kind, outcome, day.isoformat(), results)], first["Contact"]


# ------------------------------------------------------- specific contacts
@needs_act
def test_miguel_dangelo(imported):
    s, _ = imported
    c = find(s, "Miguel D'Angelo", "Orchard Lane Vet")
    assert c["first_name"] == "Miguel" and c["last_name"] == "D'Angelo"
    assert c["title"] == "Partner"
    assert c["status"] == "Prospect" and c["status_key"] == "P"
    assert c["status_raw"] == "PROSPECT"
    assert c["email"] == "mdangelo0@mail.test"
    assert c["phone"] == "3905550112"
    assert sorted(p["value"] for p in c["phones"]) == ["(751) 555-0188", "3905550112"]
    assert c["owner"] == "Chris Seller"
    assert c["created_at"][:10] == "2015-05-04"
    assert c["extra"]["Address 1"] == "9756 Oak Ave"
    assert c["extra"]["City"] == "Franklin"
    assert c["extra"]["State"] == "NJ"
    assert c["extra"]["ZIP Code"] == "86206"
    assert acts(s, c["id"]) == [("call", "reached", "2023-05-10", None)]
    assert c["last_call_reached"] == "2023-05-10"
    assert c["next_call_due"] == "2023-11-08"  # 5/10/2023 + 182 days
    assert c["next_email_due"] is None  # prospects are never e-mailed


@needs_act
def test_richard_van_der_berg_new_lead_zip_with_leading_zero(imported):
    s, _ = imported
    c = find(s, "Richard Van der Berg", "Harbor View Insurance")
    assert c["status"] == "New Lead" and c["status_raw"] == "New Leads"
    assert c["email"] is None and c["emails"] == []
    assert c["phone"] == "484-555-0152"
    assert c["extra"]["ZIP Code"] == "04899"
    assert acts(s, c["id"]) == [
        ("call", "reached", "2024-08-18", None),
        ("meeting", "held", "2026-10-02", None),
    ]
    assert c["next_call_due"] == "2024-08-21"  # 8/18/2024 + 3 days
    assert c["next_email_due"] is None


@needs_act
def test_same_name_other_company_is_another_contact(imported):
    s, _ = imported
    c = find(s, "Richard Van der Berg", 'Fulton "Fast" Printing')
    assert c["email"] == "rvanderberg8@example.org"
    assert c["status"] is None and c["status_raw"] == "Family"
    assert acts(s, c["id"]) == [("meeting", "held", "2026-10-05", "Reached - follow up in spring")]
    assert c["next_call_due"] is None and c["next_email_due"] is None


@needs_act
def test_non_ascii_names_decoded(imported):
    s, _ = imported
    c = find(s, "Siobhán Müller", "Cedar & Pine LLC")
    assert c["first_name"] == "Siobhán"
    assert c["last_name"] == "Müller"
    assert c["email"] == "smller2@example.org"
    assert c["status"] == "Prospect" and c["status_raw"] == "prospect"
    assert acts(s, c["id"]) == [
        ("call", "attempt", "2024-09-25", "Reached - follow up in spring"),
        ("call", "reached", "2024-01-26", None),
    ]
    assert c["next_call_due"] == "2024-07-26"  # 1/26/2024 + 182 days (2024 is a leap year)
    names = {x["name"] for x in s.contacts()}
    for expected in ("Mary Østergaard", "Jürgen Garcia", "Björn Rodriguez", "Zoë Dubois",
                     "Renée Nguyen", "Noël D'Angelo", "Chloé Johnson"):
        assert expected in names
    assert not any("\ufffd" in n or "Ã" in n for n in names)  # no mojibake


@needs_act
def test_unclassified_raw_value_kept(imported):
    s, _ = imported
    karen = find(s, "Karen Smith", "Granite Peak CPA")
    assert karen["status"] is None and karen["status_key"] is None
    assert karen["status_raw"] == "Former Client"
    assert acts(s, karen["id"]) == [("call", "reached", "2024-05-12", "Reached - follow up in spring")]
    assert karen["next_call_due"] is None and karen["next_email_due"] is None

    barbara = find(s, "Barbara D'Angelo", "Keystone Legal")
    assert barbara["status"] is None and barbara["status_raw"] == "Lead"
    thomas = find(s, "Thomas Williams", 'Fulton "Fast" Printing')
    assert thomas["status"] is None and thomas["status_raw"] == "???"
    miguel_r = find(s, "Miguel Rodriguez")
    assert miguel_r["status"] is None and miguel_r["status_raw"] == "Client - Key"


@needs_act
def test_note_with_quotes(imported):
    s, _ = imported
    c = find(s, "Barbara D'Angelo", "Keystone Legal")
    assert acts(s, c["id"]) == [
        ("call", "attempt", "2025-06-09", None),
        ("call", "reached", "2025-12-06", 'Not interested "right now"'),
    ]
    fulton = [x for x in s.contacts() if x["company"] == 'Fulton "Fast" Printing']
    assert len(fulton) == sum(
        1 for g in csv_groups().values() if g[0]["Company"] == 'Fulton "Fast" Printing'
    )


@needs_act
def test_note_with_line_break(imported):
    s, _ = imported
    c = find(s, "Carlos Schröder", "Juniper Café")
    assert c["status"] == "Key Client" and c["status_raw"] == "Key Client"
    assert acts(s, c["id"]) == [
        ("call", "attempt", "2025-05-14", "Asked for pricing\nCall back after budget review"),
        ("call", "reached", "2024-05-28", None),
    ]
    assert c["next_call_due"] == "2024-08-26"  # 5/28/2024 + 90
    assert c["next_email_due"] == "2020-04-02"  # never e-mailed: Create Date 4/2/2020


@needs_act
def test_results_without_activity_become_note_at_edit_date(imported):
    s, _ = imported
    c = find(s, "Barbara Smith-Jones", "Cedar & Pine LLC")
    assert c["status"] == "Secondary Client"
    assert acts(s, c["id"]) == [("note", None, "2023-10-15", "Left message")]
    assert c["next_call_due"] == "2022-10-02"
    assert c["next_email_due"] == "2022-10-02"


# ---------------------------------------------------------- duplicates merge
@needs_act
def test_francois_dubois_duplicates_merge(imported):
    s, _ = imported
    hits = [c for c in s.contacts() if (c["email"] or "").casefold() == "fdubois30@example.org"]
    assert len(hits) == 1
    assert len([c for c in s.contacts() if c["name"] == "François Dubois"]) == 1
    c = hits[0]
    assert c["name"] == "François Dubois"
    assert c["company"] == "Harbor View Insurance"
    assert c["email"] == "fdubois30@example.org"  # the first row's spelling
    assert [e["value"].casefold() for e in c["emails"]] == ["fdubois30@example.org"]
    assert c["phone"] == "348-555-0133"
    assert sorted(p["value"] for p in c["phones"]) == ["(346) 555-0149", "348-555-0133"]
    assert c["status"] == "Employee" and c["status_raw"] == "employee"
    assert c["extra"]["ZIP Code"] == "20746"
    # both rows carry the same history; it is kept once
    assert acts(s, c["id"]) == [
        ("call", "attempt", "2024-11-01", "Left message"),
        ("meeting", "held", "2022-06-18", None),
    ]
    assert c["next_call_due"] is None and c["next_email_due"] is None  # employees: no cadence


@needs_act
def test_other_duplicates_merge(imported):
    s, _ = imported
    martinez = find(s, "Richard Martinez", "Harbor View Insurance")
    assert sorted(p["value"] for p in martinez["phones"]) == ["227-555-0121", "6785550176"]
    assert martinez["status"] is None and martinez["status_raw"] == "Seminar 2019"
    barbara = find(s, "Barbara Smith-Jones", "Juniper Café")
    assert sorted(p["value"] for p in barbara["phones"]) == ["255-555-0187", "788.555.0105"]
    assert barbara["status"] == "New Lead"
    assert acts(s, barbara["id"]) == [("call", "reached", "2026-06-07", "Left message")]
    assert barbara["next_call_due"] == "2026-06-10"


# ------------------------------------------------------------- re-importing
@needs_act
def test_reimport_adds_nothing(fresh):
    import_file(fresh, ACT_CSV)
    before = snapshot(fresh)
    report = import_file(fresh, ACT_CSV)
    assert report.rows == 300
    assert report.added == 0
    assert snapshot(fresh) == before


def test_import_merges_into_existing_contact_filling_blanks_and_updating(tmp_path, fresh):
    first = write(tmp_path, "one.csv",
                  "Contact,Company,E-mail,Phone,ID/Status,Title\r\n"
                  "Ann Lee,Acme,ann@x.test,,,\r\n")
    second = write(tmp_path, "two.csv",
                   "Contact,Company,E-mail,Phone,ID/Status,Title\r\n"
                   "Ann Lee,Other Co,ANN@X.TEST,555-0100,Prospect,CEO\r\n")
    import_file(fresh, first)
    report = import_file(fresh, second)
    assert report.added == 0
    assert fresh.count_contacts() == 1
    assert (report.merged, report.unchanged) == (1, 0)
    c = fresh.contacts()[0]
    # a changed value is updated (it used to be kept: issue 3 asks for the
    # file's newer value, with the old one in history)
    assert c["company"] == "Other Co"
    assert c["email"] == "ann@x.test"
    assert c["phone"] == "555-0100"  # blank filled
    assert c["title"] == "CEO"
    assert c["status"] == "Prospect"
    notes = [h["note"] for h in fresh.history(c["id"]) if h["kind"] == "note"]
    assert notes == ["Changed by import of two.csv (line 2): Company: 'Acme' → 'Other Co'"]


def test_in_file_duplicates_fill_blanks_and_union_history(tmp_path, fresh):
    path = write(tmp_path, "dups.csv",
                 "Contact,Company,E-mail,Phone,ID/Status,Title,Last Reach,Last Attempt,Create Date\r\n"
                 "Ann Lee,Acme,ann@x.test,555-0001,,,1/1/2025,,1/1/2020\r\n"
                 "Ann Lee,Acme,ANN@X.test,555-0002,Prospect,CEO,6/1/2025,7/4/2025,1/1/2019\r\n")
    report = import_file(fresh, path)
    assert (report.rows, report.added, report.merged) == (2, 1, 1)
    assert report.unclassified == 0
    c = fresh.contacts()[0]
    assert c["email"] == "ann@x.test"
    assert [p["value"] for p in c["phones"]] == ["555-0001", "555-0002"]
    assert c["phone"] == "555-0001"
    assert c["title"] == "CEO"
    assert c["status"] == "Prospect"
    assert c["created_at"][:10] == "2019-01-01"
    assert acts(fresh, c["id"]) == [
        ("call", "attempt", "2025-07-04", None),
        ("call", "reached", "2025-01-01", None),
        ("call", "reached", "2025-06-01", None),
    ]
    assert c["next_call_due"] == "2025-11-30"  # latest reach 6/1/2025 + 182


def test_rows_without_name_or_email_are_not_merged(tmp_path, fresh):
    path = write(tmp_path, "phones.csv", "Contact,Company,Phone\r\n,,555-0001\r\n,,555-0002\r\n")
    report = import_file(fresh, path)
    assert report.merged == 0
    assert sorted(c["phone"] for c in fresh.contacts()) == ["555-0001", "555-0002"]


# ------------------------------------------------------------ all or nothing
def _fail_on_call(n: int, exc: BaseException):
    calls = {"n": 0}
    real = importer.search_text

    def wrapper(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == n:
            raise exc
        return real(*args, **kwargs)

    return wrapper, calls


def _seed(tmp_path: Path, s: Store) -> None:
    import_file(s, write(tmp_path, "seed.csv",
                         "Contact,E-mail,Phone,ID/Status,Last Reach,Create Date\r\n"
                         "Seed One,seed1@x.test,555-0001,Key Client,1/2/2026,1/1/2020\r\n"
                         "Seed Two,seed2@x.test,555-0002,Prospect,,1/1/2020\r\n"))


@needs_act
@pytest.mark.parametrize("exc", [RuntimeError("boom midway"), KeyboardInterrupt()])
def test_import_failing_midway_changes_nothing(tmp_path, fresh, monkeypatch, exc):
    _seed(tmp_path, fresh)
    before = snapshot(fresh)
    wrapper, calls = _fail_on_call(150, exc)
    monkeypatch.setattr(importer, "search_text", wrapper)
    with pytest.raises(type(exc)):
        import_file(fresh, ACT_CSV)
    assert calls["n"] == 150  # it really failed midway through the rows
    assert snapshot(fresh) == before
    assert not fresh.conn.in_transaction
    monkeypatch.undo()
    # the store is still usable and a clean import gives the full result
    report = import_file(fresh, ACT_CSV)
    assert report.added == len(csv_groups())
    assert fresh.count_contacts() == len(csv_groups()) + 2


@needs_act
def test_import_failing_at_the_end_changes_nothing(tmp_path, fresh, monkeypatch):
    _seed(tmp_path, fresh)
    before = snapshot(fresh)

    def boom(*args, **kwargs):
        raise RuntimeError("boom after the last row")

    # the last step inside the transaction, after every row is written
    monkeypatch.setattr(importer._Merge, "save_status_map", boom)
    with pytest.raises(RuntimeError):
        import_file(fresh, ACT_CSV)
    assert snapshot(fresh) == before


@needs_act
def test_import_failing_in_activity_insert_changes_nothing(tmp_path, fresh, monkeypatch):
    _seed(tmp_path, fresh)
    before = snapshot(fresh)
    real = importer.Activity.__init__

    # A bad activity kind makes the database reject the activities insert,
    # which runs after every contact row has been inserted.
    def bad_kind(self, kind, outcome, day, note=None):
        real(self, "bogus" if kind == "meeting" else kind, outcome, day, note)

    monkeypatch.setattr(importer.Activity, "__init__", bad_kind)
    with pytest.raises(sqlite3.IntegrityError):
        import_file(fresh, ACT_CSV)
    assert snapshot(fresh) == before


# ------------------------------------------------------------------ bad input
def _png(p: Path):
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)


def _zip(p: Path):
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>" * 50)


def _sqlite(p: Path):
    conn = sqlite3.connect(p)
    conn.execute("CREATE TABLE t (a)")
    conn.commit()
    conn.close()


def _random_bytes(p: Path):
    rng = random.Random(1234)
    p.write_bytes(bytes(rng.randrange(256) for _ in range(8192)))


def _random_bytes_no_nul(p: Path):
    rng = random.Random(99)
    p.write_bytes(bytes(rng.randrange(1, 256) for _ in range(8192)))


BAD_FILES = {
    "empty": (lambda p: p.write_bytes(b""), "empty"),
    "blank lines": (lambda p: p.write_bytes(b"\r\n  \r\n\t\r\n"), "empty"),
    "png": (_png, "binary"),
    "zip": (_zip, None),
    "sqlite": (_sqlite, None),
    "random": (_random_bytes, None),
    "random no NUL": (_random_bytes_no_nul, None),
    "no contact headers": (lambda p: p.write_bytes(b"foo,bar,baz\r\n1,2,3\r\n"), "column"),
    "only unknown + phone": (lambda p: p.write_bytes(b"Phone,City\r\n555,Paris\r\n"), "column"),
    "data without header": (lambda p: p.write_bytes(b"Ann Lee,ann@x.test,555\r\nBo,bo@x.test,1\r\n"),
                            "column"),
    "broken utf-16": (lambda p: p.write_bytes(b"\xff\xfeC\x00o\x00n"), "UTF-16"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_input_raises_store_error_and_changes_nothing(tmp_path, fresh, case):
    _seed(tmp_path, fresh)
    before = snapshot(fresh)
    make, keyword = BAD_FILES[case]
    path = tmp_path / "input.csv"
    make(path)
    with pytest.raises(StoreError) as info:
        import_file(fresh, path)
    message = str(info.value)
    assert "input.csv" in message  # says where
    if keyword:
        assert keyword.lower() in message.lower()
    assert snapshot(fresh) == before


def test_missing_file(tmp_path, fresh):
    path = tmp_path / "nope" / "missing.csv"
    with pytest.raises(StoreError) as info:
        import_file(fresh, path)
    assert "missing.csv" in str(info.value)
    assert "no such file" in str(info.value).lower()
    assert counts(fresh) == (0, 0)


def test_directory_instead_of_file(tmp_path, fresh):
    with pytest.raises(StoreError) as info:
        import_file(fresh, tmp_path)
    assert "directory" in str(info.value)
    assert counts(fresh) == (0, 0)


def test_unreadable_date_is_reported_not_dropped(tmp_path, fresh):
    path = write(tmp_path, "dates.csv",
                 "Contact,Phone,ID/Status,Last Reach,Create Date\r\n"
                 "Ann Lee,555,Prospect,13/45/2020,1/1/2020\r\n")
    report = import_file(fresh, path)
    assert any(line == 2 and "Last Reach" in msg and "13/45/2020" in msg
               for line, msg in report.warnings)
    c = fresh.contacts()[0]
    assert c["extra"]["Last Reach"] == "13/45/2020"
    assert acts(fresh, c["id"]) == []
    assert c["next_call_due"] == "2020-01-01"


def test_unterminated_quote_is_not_silent(tmp_path, fresh):
    path = write(tmp_path, "open_quote.csv",
                 'Contact,E-mail,Notes\r\nAnn,ann@x.test,"never closed\r\nBob,bob@x.test,x\r\n')
    try:
        report = import_file(fresh, path)
    except StoreError:
        assert counts(fresh) == (0, 0)
        return
    assert report.warnings, "the broken quote went unreported"


def test_repeated_unknown_column_keeps_both_values(tmp_path, fresh):
    path = write(tmp_path, "cities.csv", "Contact,City,City\r\nAnn,Paris,Lyon\r\n")
    report = import_file(fresh, path)
    values = list(fresh.contacts()[0]["extra"].values())
    assert "Paris" in values or any("Paris" in m for _, m in report.warnings)
    assert "Lyon" in values


# -------------------------------------------------------------- encodings
@pytest.mark.parametrize(
    "encoding, bom",
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"),
     ("utf-16-be", b"\xfe\xff"), ("cp1252", b"")],
)
def test_encodings_decode_names(tmp_path, fresh, encoding, bom):
    text = ("Contact,Company,E-mail,ZIP Code\r\n"
            "Siobhán Müller,Café Ørsted,sm@x.test,04899\r\n")
    path = tmp_path / "enc.csv"
    path.write_bytes(bom + text.encode(encoding))
    import_file(fresh, path)
    c = fresh.contacts()[0]
    assert c["name"] == "Siobhán Müller"
    assert c["company"] == "Café Ørsted"
    assert c["extra"] == {"ZIP Code": "04899"}


def test_tab_delimited(tmp_path, fresh):
    path = write(tmp_path, "tabs.txt", "Contact\tE-mail\tID/Status\r\nAnn Lee\tann@x.test\tKey Clients\r\n")
    report = import_file(fresh, path)
    assert report.added == 1
    c = fresh.contacts()[0]
    assert (c["name"], c["email"], c["status"]) == ("Ann Lee", "ann@x.test", "Key Client")


# --------------------------------------------------------------- hostile text
def test_hostile_text_stripped_of_escapes_brackets_kept(tmp_path, fresh):
    rows = [
        ["Contact", "Company", "Title", "E-mail", "City", "Last Results", "Last Reach", "ID/Status"],
        ["[bold]Ann[/]", "\x1b[31mred", "[link=http://x]boss[/link]", "ann@x.test",
         "Par\x1b]0;pwned\x07is", "line one\x1b[2J\nline \u202etwo", "1/2/2026", "Prospect"],
    ]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path = tmp_path / "hostile.csv"
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")
    import_file(fresh, path)
    c = fresh.contacts()[0]
    assert c["name"] == "[bold]Ann[/]"
    assert c["company"] == "red"
    assert c["title"] == "[link=http://x]boss[/link]"
    assert c["extra"]["City"] == "Paris"
    history = acts(fresh, c["id"])
    assert history == [("call", "reached", "2026-01-02", "line one\nline two")]
    for value in list(c.values()) + list(c["extra"].values()):
        if isinstance(value, str):
            assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F or 0x202A <= ord(ch) <= 0x202E
                           for ch in value), repr(value)


def test_hostile_note_logged_through_the_api(fresh, tmp_path):
    import_file(fresh, write(tmp_path, "one.csv", "Contact,Phone\r\nAnn,555\r\n"))
    cid = fresh.contacts()[0]["id"]
    fresh.log(cid, "note", None, note="[red]hi[/red]\x1b[31m there\x07\nnext")
    note = fresh.history(cid)[0]["note"]
    assert note == "[red]hi[/red] there\nnext"
