"""Every shared fixture file imports with the right values.

Expected values are read by hand from the fixture files (quoted in the
comments) — never taken from the importer's own output.
"""

from __future__ import annotations


import pytest

from store import Store, StoreError, import_file
from store.formats import ReadOptions

from conftest import FIXTURES, TODAY

REAL = FIXTURES / "real"
ACT = FIXTURES / "act" / "act_export_300.csv"
ALL_FILES = sorted(p for p in (list(REAL.glob("*")) + [ACT]) if p.is_file()) if REAL.is_dir() else []
GOOD_FILES = [p for p in ALL_FILES if "broken" not in p.name]

needs_fixtures = pytest.mark.skipif(
    not REAL.is_dir(),
    reason=f"shared fixtures not found at {REAL} (../shared/fixtures sits beside the checkout in CI)")
pytestmark = needs_fixtures


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "fx.db", today=TODAY)
    yield s
    s.close()


def load(store: Store, name: str, **options):
    report = import_file(store, REAL / name, ReadOptions(**options) if options else None)
    return report, store.contacts()


def by_name(contacts, name):
    hits = [c for c in contacts if c["name"] == name]
    assert len(hits) == 1, (name, [c["name"] for c in contacts])
    return hits[0]


def phones(c):
    return [(p["type"], p["value"]) for p in c["phones"]]


def emails(c):
    return [(e["type"], e["value"]) for e in c["emails"]]


def snapshot(s: Store):
    return ([tuple(r) for r in s.conn.execute("SELECT * FROM contacts ORDER BY id")],
            [tuple(r) for r in s.conn.execute("SELECT * FROM activities ORDER BY id")])


# ------------------------------------------------------------ CSV exports
def test_linkedin_connections_with_notes_preamble(store):
    report, contacts = load(store, "AbhiramJayasankar__six-hops__Connections.csv")
    assert report.format == "linkedin"
    assert report.header_line == 4  # "Notes:", the quoted notice, a blank line, then the header
    # five data rows; the last (",,,,,,01 Jan 2023") has no person in it
    assert report.rows == 5 and report.added == 4
    assert report.skipped == [(9, "no name, company, e-mail or phone")]
    rahul = by_name(contacts, "Rahul Iyer")
    assert (rahul["first_name"], rahul["last_name"]) == ("Rahul", "Iyer")
    assert rahul["email"] == "rahul@example.com"
    assert (rahul["company"], rahul["title"]) == ("Flipkart", "Senior SDE")
    assert rahul["created_at"] == "2020-01-05"  # "Connected On" 05 Jan 2020
    assert rahul["extra"] == {"URL": "https://www.linkedin.com/in/example-rahul-iyer"}
    # two Priya Sharmas at different companies, no e-mail: two contacts
    priyas = sorted((c["company"], c["title"], c["created_at"]) for c in contacts
                    if c["name"] == "Priya Sharma")
    assert priyas == [("Razorpay", "Software Engineer II", "2021-03-12"),
                      ("Razorpay Software Pvt Ltd", "Product Manager", "2022-02-01")]
    anita = by_name(contacts, "Anita Rao")
    assert anita["company"] is None and anita["email"] is None
    assert anita["created_at"] == "2019-07-20"
    assert "URL" in report.extra_columns
    for c in contacts:
        assert not c["name"].startswith("Notes")


def test_google_contacts_csv(store):
    report, contacts = load(store, "Remulous__constellation__google_contacts.csv")
    assert report.format == "google" and report.encoding == "utf-8"
    assert report.added == 2
    jerry = by_name(contacts, "Jerry Mathis")
    assert emails(jerry) == [("work", "jerry@example.com")]
    assert phones(jerry) == [("mobile", "(757) 555-0101")]
    assert jerry["phones"][0]["norm"] == "+17575550101"
    assert (jerry["company"], jerry["title"]) == ("Example Partners", "Founder")
    zoe = by_name(contacts, "Zoë, Smith")  # the file's Name cell is "Zoë, Smith"
    assert (zoe["first_name"], zoe["last_name"]) == ("Zoë", "Smith")
    assert emails(zoe) == [("home", "zoe@example.com")]
    assert zoe["phones"] == []
    assert (zoe["company"], zoe["title"]) == ("Unicode Works", "Engineer")


def test_gmail_csv_every_email_and_phone_with_its_type(store):
    report, contacts = load(store, "roundcube__roundcubemail__gmail.csv")
    assert report.format == "google"
    [c] = contacts
    assert c["name"] == "Prefix Firstname Middle Lastname Suffix"
    assert (c["first_name"], c["last_name"]) == ("Firstname", "Lastname")
    assert emails(c) == [("home", "home@aaa.pl"), ("work", "work@email.pl"),
                         ("other", "unknown@email.com"), ("other", "other@email.com")]
    # Pager/Main/Home/Home Fax/Mobile/Work/Work Fax; pager and faxes go last
    assert phones(c) == [("work", "mainphone"), ("home", "homephone"), ("mobile", "mobile"),
                         ("work", "workphone"), ("pager", "pager"), ("fax", "homefax"),
                         ("fax", "workfax")]
    assert (c["company"], c["title"]) == ("company", "jobtitle")
    assert c["notes"] == 'note"note'
    assert c["extra"]["Birthday"] == "1975-12-12"
    assert c["extra"]["Nickname"] == "nick"
    # the multi-line quoted address survives with its line breaks
    assert c["extra"]["Address 1 - Formatted"] == (
        "home_street\nhome_pobox\nhome_city, home_state home_zip\nhome_country")
    assert c["extra"]["Website 2 - Value"] == "home.page.com"
    # words in phone cells are kept, and reported
    assert any("'mainphone' has no digits" in m for _, m in report.warnings)


def test_outlook_csv(store):
    report, contacts = load(store, "roundcube__roundcubemail__outlook.csv")
    assert report.format == "outlook"
    [c] = contacts
    assert emails(c) == [("work", "test1@domain.tld"), ("other", "test2@domain.tld"),
                         ("other", "test3@domain.tld")]
    assert c["email"] == "test1@domain.tld"


def test_single_column_email_csv(store):
    report, contacts = load(store, "roundcube__roundcubemail__email.csv")
    assert report.added == 4
    assert sorted(c["email"] for c in contacts) == [f"test{i}@domain.tld" for i in range(1, 5)]


def test_thunderbird_semicolon_csv(store):
    report, contacts = load(store, "mozilla__releases-comm-central__csv_semicolon.csv")
    assert report.delimiter == "semicolon"
    assert report.format == "thunderbird"
    john = by_name(contacts, "John Doe")
    assert (john["first_name"], john["last_name"], john["email"]) == ("John", "Doe", "john@doe.invalid")
    jane = by_name(contacts, "Jane Doe")
    assert jane["email"] == "jane@doe.invalid"


def test_thunderbird_export_with_newlines_tabs_and_quotes(store):
    report, contacts = load(store, "mozilla__releases-comm-central__export.csv")
    assert report.format == "thunderbird"
    assert report.rows == 2
    one = by_name(contacts, "contact number one")
    assert (one["first_name"], one["last_name"], one["email"]) == ("contact", "one", "contact1@invalid")
    two = by_name(contacts, "contact number two")
    assert two["title"] == '"worker"'  # """worker""" in the file
    assert two["notes"] == "here's some unicode text\u2026"
    assert two["extra"]["Custom 1"] == "custom, 1"
    assert two["extra"]["Custom 2"] == "custom\t2"
    assert two["extra"]["Custom 4"] == "custom\n4"


def test_thunderbird_plain(store):
    report, contacts = load(store, "roundcube__roundcubemail__tb_plain.csv")
    [c] = contacts
    assert c["name"] == "Displayname"
    assert (c["first_name"], c["last_name"], c["company"], c["title"]) == (
        "Firstname", "Lastname", "Organization", "title")
    assert emails(c) == [("work", "test@domain.tld"), ("other", "next@domain.tld")]
    assert phones(c) == [("work", "phone work"), ("home", "phone home"), ("mobile", "mobile"),
                         ("fax", "fax"), ("pager", "pager")]
    assert c["extra"]["Work ZipCode"] == "33-333"
    assert c["extra"]["Birth Year"] == "1970"


# ------------------------------------------------------------------ vCards
def test_vcard_30_several_values(store):
    report, contacts = load(store, "lucc__khard__contact_with_multiple_values.vcf")
    assert report.format == "vcard"
    [c] = contacts
    assert c["name"] == "Dr. Mark Schröder II"
    assert (c["first_name"], c["last_name"]) == ("Mark", "Schröder")
    assert emails(c) == [("work", "mark@example.com"), ("work", "mark@example.org")]
    assert phones(c) == [("mobile", "0161 99999999"), ("work", "090 11122200"),
                         ("work", "090 33344400"), ("work", "090 55566600")]
    assert c["company"] == "Company1"
    assert c["extra"]["Department"] == "Sub-Company1"
    assert c["extra"]["Other organization"] == "Company2"
    assert c["title"] == "Manager"
    assert c["extra"]["Other title"] == "research scientist"
    assert c["notes"] == "multi-line\nnote\n\nsingle line note"
    assert c["extra"]["Categories"] == "cat1, cat2, cät3; one more"
    assert c["extra"]["Address (Custom)"] == "Riverlane 1, A City, Region, 99A99, Country"
    assert c["extra"]["Birthday"] == "19921221"
    assert c["extra"]["Skype"] == "skype1; skype2"


def test_vcard_40_korean_name(store):
    _, contacts = load(store, "lucc__khard__korean-c.vcf")
    assert [c["name"] for c in contacts] == ["최유림"]


def test_vcard_stub_three_cards(store):
    report, contacts = load(store, "monicahq__monica__vcard_stub.vcf")
    assert report.rows == 3 and report.added == 3
    quill = by_name(contacts, "Quill")
    assert quill["email"] == "quill@example.com"
    assert phones(quill) == [("work", "+1 202-555-0191")]
    assert quill["phones"][0]["norm"] == "+12025550191"
    assert (quill["company"], quill["title"]) == ("Quill Partners", "Principal")
    assert quill["notes"] == "Lorem ipsum dolor sit amet"
    assert quill["extra"]["Birthday"] == "1971-03-02"
    john = by_name(contacts, "John Doe")
    assert john["email"] == "john.doe@example.com"
    # the third card has an empty FN and N: its nickname names it
    johnny = by_name(contacts, "Johnny")
    assert johnny["extra"]["Address"] == "17 Shakespeare Ave., Southampton, SO17 2HB, United Kingdom"


def test_vcard_21_lowercase_quoted_printable_version_last(store):
    _, contacts = load(store, "mozilla__releases-comm-central__export.vcf")
    two = by_name(contacts, "contact number two")
    assert two["notes"] == "here's some unicode text\u2026"  # note;quoted-printable:...=E2=80=A6
    assert two["title"] == '"worker"'
    assert two["email"] == "contact2@invalid"
    assert by_name(contacts, "contact number one")["email"] == "contact1@invalid"


def test_vcard_photo_is_skipped(store):
    report, contacts = load(store, "py-vobject__vobject__photo-test.vcf")
    [c] = contacts
    assert c["name"] == "should be ok to share"
    assert phones(c) == [("home", "+49123456789")]
    assert "1 embedded photo(s) skipped" in report.notes
    stored = store.conn.execute("SELECT * FROM contacts").fetchone()
    assert not any(isinstance(v, str) and "/9j/" in v for v in tuple(stored))


def test_apple_vcard_item_groups_and_photo(store):
    report, contacts = load(store, "roundcube__roundcubemail__apple.vcf")
    [c] = contacts
    assert c["name"] == "Apple Computer AG" and c["company"] == "Apple Computer AG"
    assert c["extra"]["Address (work)"] == "Birgistrasse 4a, Wallisellen-Zürich, 8304, Switzerland"
    assert c["extra"]["Web page (HomePage)"] == "http://www.apple.ch"  # item2.X-ABLabel
    assert "1 embedded photo(s) skipped" in report.notes
    assert not any("9j" in v for v in c["extra"].values())


def test_utf16_big_endian_without_bom_vcard(store):
    report, contacts = load(store, "roundcube__roundcubemail__utf-16_sample.vcf")
    assert report.encoding == "utf-16-be"
    [c] = contacts
    assert c["name"] == "Ǽgean ĽdaMonté"
    assert (c["first_name"], c["last_name"]) == ("Ǽgean", "ĽdaMonté")
    assert c["extra"]["Address (work)"] == "169 Mária Canal, LaPaz, Conceptión, 245-876, Perú"


def test_broken_vcard_fails_clearly_and_writes_nothing(store):
    with pytest.raises(StoreError) as info:
        load(store, "monicahq__monica__broken_vcard_stub.vcard")
    message = str(info.value)
    assert "broken_vcard_stub.vcard" in message and "line 1" in message
    assert "BEGIN:VCARD" in message
    assert store.count_contacts() == 0


# ------------------------------------------------------------ every file
@pytest.mark.parametrize("path", GOOD_FILES, ids=lambda p: p.name)
def test_importing_the_same_file_twice_changes_nothing(store, path):
    first = import_file(store, path)
    before = snapshot(store)
    again = import_file(store, path)
    assert snapshot(store) == before
    assert again.added == 0 and again.merged == 0
    assert again.unchanged == first.rows - len(first.skipped)  # every row matched, nothing new


@pytest.mark.parametrize("path", GOOD_FILES, ids=lambda p: p.name)
def test_dry_run_writes_nothing_and_predicts_the_import(store, path):
    before = snapshot(store)
    dry = import_file(store, path, dry_run=True)
    assert snapshot(store) == before
    real = import_file(store, path)
    assert (dry.added, dry.merged, dry.unchanged, dry.unclassified) == (
        real.added, real.merged, real.unchanged, real.unclassified)
    assert dry.added == store.count_contacts()


def test_act_fixture_summary_counts_blank_statuses(store):
    report = import_file(store, ACT)
    # the file's ID/Status cells, counted by hand per contact: blanks vs values
    import csv

    with open(ACT, encoding="cp1252", newline="") as fh:
        rows = list(csv.DictReader(fh))
    seen, blank = set(), 0
    for r in rows:
        key = r["E-mail"].strip().casefold() or (r["Contact"].strip().casefold(), r["Company"].strip().casefold())
        if key in seen:
            continue
        seen.add(key)
        blank += not r["ID/Status"].strip()
    assert blank > 0
    assert report.no_status == blank
    assert report.unclassified - report.no_status == sum(report.unmapped_statuses.values())
    assert report.date_order == "mdy"
    assert report.encoding == "cp1252"


def test_act_fixture_reimport_after_reclassifying_keeps_the_users_status(store):
    import_file(store, ACT)
    miguel = [c for c in store.contacts() if c["name"] == "Miguel D'Angelo"][0]
    assert miguel["status_key"] == "P"  # "PROSPECT"
    store.set_status([miguel["id"]], "K")
    report = import_file(store, ACT)
    assert store.contact(miguel["id"])["status_key"] == "K"
    assert report.added == 0 and report.merged == 0
