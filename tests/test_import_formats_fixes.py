"""Format fixes found by a fresh-eyes tester: Outlook's two titles, --map
winning over the automatic mapping, Google's " ::: " cells, vCard folds in
the middle of a character, e-mail values, unterminated vCards, tel: URIs,
very wide headers and the messages for Excel and oversized cells."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from store import Store, StoreError, import_file, preview_file
from store.formats import ReadOptions
from store.formats.mapping import map_columns

from conftest import FIXTURES, TODAY
from test_cli_import import one_clean_error, run
from test_import_rules import make_xlsx, write

REAL = FIXTURES / "real"


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "fixes.db", today=TODAY)
    yield s
    s.close()


def by_name(s: Store) -> dict[str, dict]:
    return {c["name"]: c for c in s.contacts()}


def values(entries: list[dict]) -> list[tuple[str, str]]:
    return [(e["type"], e["value"]) for e in entries]


# ------------------------------------------------------- 1. Outlook's titles
OUTLOOK = ('"First Name","Last Name","Title","E-mail Address","Job Title","Company"\r\n'
           '"Ann","Lee","Dr.","ann@acme.test","Head of Sales","Acme"\r\n')


def test_outlook_title_is_the_honorific_and_job_title_the_job(tmp_path, store):
    report = import_file(store, write(tmp_path, "outlook.csv", OUTLOOK))
    assert report.format == "outlook"
    [c] = store.contacts()
    assert (c["title"], c["company"]) == ("Head of Sales", "Acme")
    assert c["extra"] == {"Title": "Dr."}
    assert ("Title", None) in report.columns and ("Job Title", "title") in report.columns
    assert report.extra_columns == ["Title"]


def test_outlook_export_header_order_keeps_the_honorific_as_extra(tmp_path, store):
    # Outlook writes "Title" first, then the names, then "Job Title" further on
    text = ("Title,First Name,Middle Name,Last Name,Suffix,Company,Department,Job Title,"
            "Business Phone,E-mail Address\r\n"
            "Mr.,Bo,,Bell,,Bolt,Sales,Buyer,+1 415 555 0100,bo@bolt.test\r\n")
    report = import_file(store, write(tmp_path, "outlook-full.csv", text))
    assert report.format == "outlook"
    [c] = store.contacts()
    assert c["title"] == "Buyer"
    assert c["extra"] == {"Title": "Mr.", "Department": "Sales"}


def test_a_plain_file_with_job_title_makes_title_the_honorific(tmp_path, store):
    import_file(store, write(tmp_path, "both.csv", "Name,Title,Job Title\r\nAnn Lee,Dr.,Buyer\r\n"))
    [c] = store.contacts()
    assert (c["title"], c["extra"]) == ("Buyer", {"Title": "Dr."})


def test_act_title_stays_the_job_title(tmp_path, store):
    report = import_file(store, write(tmp_path, "act.csv",
                                      "Contact,Company,Title,ID/Status,Record Manager\r\n"
                                      "Ann Lee,Acme,Head of Sales,Prospect,Chris\r\n"))
    assert report.format == "act"
    [c] = store.contacts()
    assert (c["title"], c["extra"]) == ("Head of Sales", {})


# ------------------------------------------------------- 2. --map wins
def test_map_onto_an_auto_mapped_field_wins_and_demotes_the_other(tmp_path, store):
    path = write(tmp_path, "jobs.csv", "Name,Title,Job\nAnn,,Boss\nBob,CTO,Chief\n")
    report = import_file(store, path, ReadOptions(mapping={"Job": "title"}))
    contacts = by_name(store)
    assert (contacts["Ann"]["title"], contacts["Ann"]["extra"]) == ("Boss", {})
    assert (contacts["Bob"]["title"], contacts["Bob"]["extra"]) == ("Chief", {"Title": "CTO"})
    assert report.columns == [("Name", "name"), ("Title", None), ("Job", "title")]
    assert report.extra_columns == ["Title"]
    assert report.notes == ["column 'Title' kept as extra data: title comes from 'Job', "
                            "as you mapped it"]


def test_map_onto_notes_when_a_notes_column_exists(tmp_path, store):
    path = write(tmp_path, "notes.csv", "Name,Notes,Region\r\nAnn,call after 5,West\r\n")
    report = import_file(store, path, ReadOptions(mapping={"Region": "notes"}))
    [c] = store.contacts()
    assert (c["notes"], c["extra"]) == ("West", {"Notes": "call after 5"})
    assert report.columns == [("Name", "name"), ("Notes", None), ("Region", "notes")]


def test_map_onto_a_multi_valued_field_keeps_both_columns(tmp_path, store):
    path = write(tmp_path, "mails.csv", "Name,E-mail,Private\r\nAnn,ann@work.test,ann@home.test\r\n")
    report = import_file(store, path, ReadOptions(mapping={"Private": "email"}))
    [c] = store.contacts()
    assert values(c["emails"]) == [("work", "ann@work.test"), ("work", "ann@home.test")]
    assert report.extra_columns == [] and report.notes == []


def test_two_maps_onto_one_single_valued_field_are_refused(tmp_path, store):
    path = write(tmp_path, "jobs.csv", "Name,Title,Job\nAnn,CTO,Boss\n")
    with pytest.raises(StoreError, match="'Title' and 'Job' both feed title"):
        import_file(store, path, ReadOptions(mapping={"Title": "title", "Job": "title"}))
    assert store.count_contacts() == 0


def test_map_names_a_repeated_header_by_its_shown_label(tmp_path, store):
    path = write(tmp_path, "twice.csv", "Name,Job,Job\r\nAnn,Boss,Chief\r\n")
    report = import_file(store, path, ReadOptions(mapping={"Job (2)": "title"}))
    [c] = store.contacts()
    # "Job" alone is the alias of title too: the chosen "Job (2)" wins it
    assert (c["title"], c["extra"]) == ("Chief", {"Job": "Boss"})
    assert report.columns == [("Name", "name"), ("Job", None), ("Job (2)", "title")]


def test_map_by_a_repeated_header_chooses_its_first_column_and_leaves_the_others(tmp_path, store):
    # two Phone columns; "Phone=company" makes the first one the company,
    # and the second one goes on feeding the phone (it was thrown into
    # extra data, with a note saying it had been mapped)
    path = write(tmp_path, "dup.csv", "Name,Phone,Phone,Email\r\nAnn Lee,Acme,555-0100,ann@x.test\r\n")
    report = import_file(store, path, ReadOptions(mapping={"Phone": "company"}))
    assert report.columns == [("Name", "name"), ("Phone", "company"), ("Phone (2)", "phone"),
                              ("Email", "email")]
    [c] = store.contacts()
    assert (c["company"], c["phone"], c["extra"]) == ("Acme", "555-0100", {})
    assert not any("kept as extra data" in n for n in report.notes)


def test_cli_summary_and_json_show_the_demoted_column(tmp_path):
    csv = tmp_path / "jobs.csv"
    csv.write_text("Name,Title,Job\nAnn,,Boss\nBob,CTO,Chief\n", encoding="utf-8")
    db = tmp_path / "c.db"
    out = run("import", str(csv), "--map", "Job=title", "--dry-run", db=db)
    assert out.returncode == 0, out.stderr
    assert "  kept as extra data: Title\n" in out.stdout
    assert "  note: column 'Title' kept as extra data: title comes from 'Job', as you mapped it\n" \
        in out.stdout
    import json

    notes = tmp_path / "notes.csv"
    notes.write_text("Name,Notes,Region\nAnn,n1,West\n", encoding="utf-8")
    out = run("import", str(notes), "--map", "Region=notes", "--dry-run", "--json", db=db)
    data = json.loads(out.stdout)
    assert data["columns"] == [{"header": "Name", "field": "name"},
                               {"header": "Notes", "field": None},
                               {"header": "Region", "field": "notes"}]
    assert data["extra_columns"] == ["Notes"]


# ------------------------------------------------------- 3. Google " ::: "
def test_google_cells_with_several_values_become_several_entries(tmp_path, store):
    text = ("Name,Given Name,Family Name,E-mail 1 - Type,E-mail 1 - Value,"
            "Phone 1 - Type,Phone 1 - Value,Group Membership\r\n"
            "Jane Doe,Jane,Doe,* Work,jane@work.test ::: jane2@work.test,Mobile,"
            "+1 555 555 0100 ::: +1 555 555 0101,* My Contacts ::: Friends\r\n")
    report = import_file(store, write(tmp_path, "google.csv", text))
    assert report.format == "google"
    [c] = store.contacts()
    assert values(c["emails"]) == [("work", "jane@work.test"), ("work", "jane2@work.test")]
    assert values(c["phones"]) == [("mobile", "+1 555 555 0100"), ("mobile", "+1 555 555 0101")]
    assert [p["norm"] for p in c["phones"]] == ["+15555550100", "+15555550101"]
    # other cells keep the separator as written
    assert c["extra"] == {"Group Membership": "* My Contacts ::: Friends"}


# ------------------------------------------------------- 4. folds in a character
SPLIT = b"FN:Zo\xc3\r\n \xab Folded\r\n"


@pytest.mark.parametrize("rest, encoding", [
    (b"ORG:Caf\xc3\xa9\r\n", "utf-8"),  # otherwise UTF-8 (was "ZoÃ« Folded")
    (b"ORG:Acme\r\n", "utf-8"),  # otherwise ASCII (was read as cp932: "Zoﾃｫ Folded")
])
def test_a_fold_inside_a_utf8_character_is_mended(tmp_path, store, rest, encoding):
    data = b"BEGIN:VCARD\r\nVERSION:3.0\r\n" + SPLIT + rest + b"END:VCARD\r\n"
    report = import_file(store, write(tmp_path, "fold.vcf", data))
    [c] = store.contacts()
    assert c["name"] == "Zoë Folded"
    assert report.encoding == encoding and report.warnings == []


def test_mended_folds_keep_line_numbers_and_quoted_printable(tmp_path, store):
    # a character split over two folds (a 4-byte emoji), a LF-only file,
    # a quoted-printable card after it, then a card that cannot be read
    data = (b"BEGIN:VCARD\nVERSION:3.0\nFN:Sun \xf0\n \x9f\n \x98\x80 Day\nEND:VCARD\n"
            b"BEGIN:VCARD\nVERSION:2.1\n"
            b"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=\n=BCrgen\nEND:VCARD\n"
            b"BEGIN:VCARD\nVERSION:3.0\nFN:Bad\nBDAY;VALUE=\"unclosed:1970\nEND:VCARD\n")
    report = import_file(store, write(tmp_path, "folds.vcf", data))
    assert sorted(c["name"] for c in store.contacts()) == ["Jürgen Müller", "Sun \U0001F600 Day"]
    assert [line for line, _ in report.skipped] == [12]  # the third card's BEGIN:VCARD


def test_folds_of_a_legacy_code_page_vcard_are_untouched(tmp_path, store):
    # cp1252 "Ã" at a fold followed by "«": the same bytes once unfolded,
    # and the file keeps reading as the code page it is
    data = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Müller\r\nNOTE:Ã\r\n «quoted» text\r\n"
            "END:VCARD\r\n").encode("cp1252")
    import_file(store, write(tmp_path, "cp.vcf", data), ReadOptions(encoding="cp1252"))
    [c] = store.contacts()
    assert (c["name"], c["notes"]) == ("Zoë Müller", "Ã«quoted» text")


# ------------------------------------------------------- 5. e-mail values
def test_split_emails_by_hand():
    from store.formats.values import split_emails

    assert split_emails("ann@x.test") == (["ann@x.test"], [])
    assert split_emails("MailTo:d@x.com") == (["d@x.com"], [])
    assert split_emails("Eve <eve@x.com>") == (["eve@x.com"], [])
    assert split_emails("Lee, Ann <ann@x.com>") == (["ann@x.com"], [])
    assert split_emails("f@x.com; f2@x.com,f3@x.com") == (["f@x.com", "f2@x.com", "f3@x.com"], [])
    assert split_emails("a@x.com ::: b@x.com") == (["a@x.com", "b@x.com"], [])
    assert split_emails("not an email") == ([], ["not an email"])
    assert split_emails("john@@x.com") == ([], ["john@@x.com"])
    assert split_emails("@x.com; ok@x.com; x@") == (["ok@x.com"], ["@x.com", "x@"])
    assert split_emails("ann lee@x.com") == ([], ["ann lee@x.com"])
    assert split_emails("a@x.com b@x.com") == (["a@x.com", "b@x.com"], [])
    assert split_emails("'ann@x.com'") == (["ann@x.com"], [])
    assert split_emails("o'brien@x.com") == (["o'brien@x.com"], [])


def test_email_cells_are_checked_split_and_cleaned(tmp_path, store):
    text = ("Name,E-mail,Personal E-mail\n"
            "A,not an email,\n"  # line 2
            "B,john@@x.com,\n"  # line 3
            "D,mailto:d@x.com,\n"
            "E,Eve <eve@x.com>,\n"
            "F,f@x.com; f2@x.com,f3@home.test\n"
            "E,eve@x.com,\n")  # line 7: the same contact as line 5
    report = import_file(store, write(tmp_path, "mails.csv", text))
    contacts = by_name(store)
    assert sorted(contacts) == ["A", "B", "D", "E", "F"]
    assert (contacts["A"]["emails"], contacts["A"]["extra"]) == ([], {"E-mail": "not an email"})
    assert (contacts["B"]["emails"], contacts["B"]["extra"]) == ([], {"E-mail": "john@@x.com"})
    assert values(contacts["D"]["emails"]) == [("work", "d@x.com")]
    assert values(contacts["E"]["emails"]) == [("work", "eve@x.com")]
    assert values(contacts["F"]["emails"]) == [("work", "f@x.com"), ("work", "f2@x.com"),
                                               ("home", "f3@home.test")]
    assert report.warnings == [
        (2, "E-mail: 'not an email' is not an e-mail address (expected name@domain); kept as extra data"),
        (3, "E-mail: 'john@@x.com' is not an e-mail address (expected name@domain); kept as extra data"),
    ]
    assert (report.added, report.merged, report.skipped) == (5, 1, [])
    # a later file matches by the cleaned address
    again = import_file(store, write(tmp_path, "again.csv", "Name,E-mail\nE,EVE@x.com\n"))
    assert (again.added, again.unchanged) == (0, 1)


def test_vcard_email_values_are_checked_too(tmp_path, store):
    text = ("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ann Lee\r\nEMAIL:mailto:ann@x.test\r\n"
            "EMAIL;TYPE=home:Ann <ann@home.test>\r\nEMAIL:call me\r\nEND:VCARD\r\n")
    report = import_file(store, write(tmp_path, "mail.vcf", text))
    [c] = store.contacts()
    assert values(c["emails"]) == [("work", "ann@x.test"), ("home", "ann@home.test")]
    assert c["extra"] == {"E-mail": "call me"}
    assert [line for line, _ in report.warnings] == [1]


# ------------------------------------------------------- 6. unterminated vCards
GOOD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann One\r\nEND:VCARD\r\n"  # lines 1-4


def test_a_last_vcard_without_end_is_read_to_the_end_of_the_file(tmp_path, store):
    text = GOOD + "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo Two\r\nEMAIL:bo@x.test\r\n"
    report = import_file(store, write(tmp_path, "open.vcf", text))
    assert sorted(c["name"] for c in store.contacts()) == ["Ann One", "Bo Two"]
    assert by_name(store)["Bo Two"]["email"] == "bo@x.test"
    assert report.warnings == [(5, "this vCard has no END:VCARD; it was read up to the end of the file")]


def test_a_vcard_without_end_before_another_ends_where_the_next_begins(tmp_path, store):
    text = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo Two\r\n"  # lines 1-3, no END
            + GOOD)  # lines 4-7
    report = import_file(store, write(tmp_path, "middle.vcf", text))
    assert sorted(c["name"] for c in store.contacts()) == ["Ann One", "Bo Two"]
    assert report.warnings == [
        (1, "this vCard has no END:VCARD; it was read up to line 3 (the next vCard starts on "
            "line 4)")]


def test_a_damaged_vcard_names_the_files_line_and_problems_come_in_line_order(tmp_path, store):
    text = (GOOD + "junk between\r\n"                                    # lines 1-4, 5
            + "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo Two\r\n"           # 6-8
            + "NOTE:folded\r\n  on\r\n;;;;;::::\r\nEND:VCARD\r\n"    # 9-12: line 11 is bad
            + "between\r\n")                                              # 13
    report = import_file(store, write(tmp_path, "damaged.vcf", text))
    assert [c["name"] for c in store.contacts()] == ["Ann One"]
    # vobject's own "At line 21" counts neither the file's lines nor the card's
    assert report.skipped == [
        (5, "text between vCards ignored"),
        (6, "this vCard could not be read (line 11: Failed to parse line: ;;;;;::::)"),
        (13, "text between vCards ignored")]


def test_an_unterminated_last_vcard_that_cannot_be_read_is_skipped(tmp_path, store):
    text = GOOD + 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bad\r\nBDAY;VALUE="unclosed:1970\r\n'
    report = import_file(store, write(tmp_path, "bad-end.vcf", text))
    assert [c["name"] for c in store.contacts()] == ["Ann One"]
    [(line, reason)] = report.skipped
    assert line == 5 and reason.startswith(
        "this vCard has no END:VCARD and could not be read up to the end of the file (")


def test_a_damaged_begin_line_between_cards_skips_only_that_card(tmp_path, store):
    text = (GOOD + "BEGIN:VCAR\r\nFN:Typo\r\nEND:VCARD\r\n"  # lines 5-7
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cy Three\r\nEND:VCARD\r\n")
    report = import_file(store, write(tmp_path, "typo.vcf", text))
    assert sorted(c["name"] for c in store.contacts()) == ["Ann One", "Cy Three"]
    assert report.skipped == [(5, "'BEGIN:VCAR' does not start a vCard (expected BEGIN:VCARD); "
                                  "its lines up to the next END:VCARD were skipped")]
    assert report.rows == 3


def test_a_file_with_no_complete_vcard_is_still_refused(tmp_path, store):
    with pytest.raises(StoreError, match="line 1: the vCard that starts on line 1 has no END:VCARD "
                                         "and the file has no complete vCard"):
        import_file(store, write(tmp_path, "open.vcf", "BEGIN:VCARD\r\nFN:Ann\r\nBEGIN:VCARD\r\nFN:Bo\r\n"))
    assert store.count_contacts() == 0


@pytest.mark.skipif(not (REAL / "monicahq__monica__broken_vcard_stub.vcard").exists(),
                    reason="shared fixtures not present")
def test_the_broken_stub_fixture_is_still_refused_with_one_message(tmp_path):
    result = run("import", str(REAL / "monicahq__monica__broken_vcard_stub.vcard"),
                 db=tmp_path / "c.db")
    one_clean_error(result, "line 1", "'BEGIN:VCAR' does not start a vCard", "nothing was imported")


# ------------------------------------------------------- 7. tel: URIs
def test_vcard4_tel_uri_loses_its_scheme_and_gives_its_extension(tmp_path, store):
    text = ("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ann Lee\r\n"
            "TEL;VALUE=uri;TYPE=work:tel:+1-555-555-0100;ext=42\r\n"
            "TEL;VALUE=uri:tel:+1-555-555-0199\r\nEND:VCARD\r\n")
    import_file(store, write(tmp_path, "tel.vcf", text))
    [c] = store.contacts()
    assert [(p["type"], p["value"], p.get("ext")) for p in c["phones"]] == [
        ("work", "+1-555-555-0100", "42"), ("work", "+1-555-555-0199", None)]
    assert [p["norm"] for p in c["phones"]] == ["+15555550100", "+15555550199"]


# ------------------------------------------------------- 8. wide headers
def test_thousands_of_repeated_headers_are_mapped_in_linear_time():
    headers = ["Name"] + ["x"] * 40_000 + ["x (3)"]
    start = time.perf_counter()
    columns = map_columns(headers, None)
    elapsed = time.perf_counter() - start
    labels = [c.label for c in columns]
    assert labels[:4] == ["Name", "x", "x (2)", "x (3)"]
    assert labels[40_000] == "x (40000)"
    assert labels[-1] == "x (3) (2)"  # a header that reads like a made-up label stays distinct
    assert len(set(labels)) == len(labels)
    assert elapsed < 5, elapsed  # was minutes (quadratic)


def test_a_file_with_a_very_wide_repeated_header_imports(tmp_path, store):
    header = ",".join(["Name"] + ["x"] * 20_000)
    row = ",".join(["Ann Lee", "a"] + [""] * 19_998 + ["z"])
    start = time.perf_counter()
    report = import_file(store, write(tmp_path, "wide.csv", header + "\n" + row + "\n"))
    assert time.perf_counter() - start < 20  # was about a minute
    [c] = store.contacts()
    assert c["extra"] == {"x": "a", "x (20000)": "z"}
    assert len(report.extra_columns) == 20_000


# ------------------------------------------------------- 9. messages
def test_old_xls_refusal_is_one_clear_sentence(tmp_path, store):
    path = write(tmp_path, "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(StoreError) as err:
        import_file(store, path)
    assert str(err.value) == (f"{path}: this is an old-style Excel or Word file (.xls or .doc), "
                              "which cannot be imported: save it as .xlsx or CSV and import that")


def test_empty_workbook_says_the_sheet_is_empty(tmp_path, store):
    from openpyxl import Workbook

    path = tmp_path / "empty.xlsx"
    Workbook().save(path)
    with pytest.raises(StoreError) as err:
        import_file(store, path)
    assert str(err.value) == f"{path}: sheet 'Sheet' is empty"


def test_a_first_sheet_without_contacts_names_the_other_sheets(tmp_path, store):
    path = make_xlsx(tmp_path / "book.xlsx", {
        "Summary": [["Quarter", "Total"], ["Q1", 12]],
        "Contacts": [["Name", "E-mail"], ["Ann Lee", "ann@x.test"]],
        "Notes": [],
    })
    with pytest.raises(StoreError) as err:
        import_file(store, path)
    assert str(err.value).endswith(
        "sheet 'Summary': no contact columns in the header: expected names such as Name, First Name, "
        "Company or E-mail (use --map 'Their Header=name' to say which is which); the workbook's "
        "other sheets: 'Contacts', 'Notes' (choose one with --sheet NAME)")
    assert err.value.columns == ("Quarter", "Total")  # for the import screen to offer
    with pytest.raises(StoreError, match="sheet 'Notes' is empty; the workbook's other sheets: "
                                         "'Summary', 'Contacts'"):
        import_file(store, path, ReadOptions(sheet="Notes"))
    header_only = make_xlsx(tmp_path / "header.xlsx", {"Empty": [["Name", "E-mail"]],
                                                       "Full": [["Name"], ["Bo"]]})
    with pytest.raises(StoreError, match="sheet 'Empty' has a header on row 1 but no rows below it; "
                                         "the workbook's other sheets: 'Full'"):
        import_file(store, header_only)
    # two empty sheets: not "the other sheet", which is empty too
    blank = make_xlsx(tmp_path / "blank.xlsx", {"Blank": [], "Blank2": []})
    with pytest.raises(StoreError) as err:
        import_file(store, blank)
    assert str(err.value).endswith("every sheet of the workbook is empty (Blank, Blank2)")
    import_file(store, path, ReadOptions(sheet="Contacts"))
    assert [c["name"] for c in store.contacts()] == ["Ann Lee"]


def test_sheet_on_a_text_file_is_refused_and_encoding_on_a_workbook_noted(tmp_path, store):
    csv = write(tmp_path, "a.csv", "Name\r\nAnn\r\n")
    with pytest.raises(StoreError, match="--sheet 'Contacts': this is a CSV/text file, not an Excel "
                                         "workbook"):
        import_file(store, csv, ReadOptions(sheet="Contacts"))
    vcf = write(tmp_path, "a.vcf", GOOD)
    with pytest.raises(StoreError, match="this is a vCard file"):
        import_file(store, vcf, ReadOptions(sheet="1"))
    assert store.count_contacts() == 0
    book = make_xlsx(tmp_path / "book.xlsx", {"Contacts": [["Name"], ["Ann"]]})
    report = import_file(store, book, ReadOptions(encoding="cp1252"))
    assert report.added == 1
    assert "--encoding cp1252 was not used: an Excel workbook records the encoding of its own text" \
        in report.notes


def test_an_oversized_cell_is_named_as_such(tmp_path, store):
    path = tmp_path / "huge.csv"
    with open(path, "w", encoding="ascii") as fh:
        # the early date settles the day/month order, so the scan stops there
        fh.write("Name,Notes,Created\nAnn,short,13/3/2021\nBo,")
        fh.write("x" * (65 * 1024 * 1024))
        fh.write(",\nCy,ok,\n")
    with pytest.raises(StoreError) as err:
        import_file(store, path)
    assert str(err.value) == (f"{path}: line 3: a cell is over the size limit of 64 MiB (a quote "
                              "that is never closed can also make one); nothing was imported")
    assert store.count_contacts() == 0


def test_formula_cells_without_a_saved_value_are_named(tmp_path, store):
    # openpyxl writes formulas without calculating them, as many generators do
    path = make_xlsx(tmp_path / "formulas.xlsx", {"Contacts": [
        ["First Name", "Last Name", "Name", "E-mail"],
        ["Ann", "Lee", '=A2&" "&B2', "ann@x.test"],
        ["Bo", "Bell", "Bo Bell", "bo@x.test"],
    ]})
    report = import_file(store, path)
    assert sorted(c["name"] for c in store.contacts()) == ["Ann Lee", "Bo Bell"]
    assert report.warnings == [(2, "cell C2 holds a formula with no saved value (the program that "
                                   "wrote the file did not calculate it); read as empty — open and "
                                   "save the file in Excel to keep its value")]


def test_preview_of_a_workbook_without_formulas_warns_nothing(tmp_path):
    path = make_xlsx(tmp_path / "plain.xlsx", {"Contacts": [["Name", "Phone"], ["Ann", "555 0100"]]})
    assert preview_file(path).warnings == []


# ------------------------------------------------------- 2. the import screen
async def test_import_screen_field_choice_demotes_the_auto_mapped_column(tmp_path):
    from textual.widgets import OptionList

    from store.formats import FIELDS
    from tui.app import DailyReachApp
    from tui.widgets import RowList

    from test_tui_import import SIZE, rows, wait_idle

    path = tmp_path / "jobs.csv"
    path.write_text("Name,Title,Job\nAnn,,Boss\nBob,CTO,Chief\n", encoding="utf-8")
    store = Store(tmp_path / "tui.db", today=TODAY)
    app = DailyReachApp(store)

    async def choose(index: int, field: str) -> None:
        screen.set_focus(columns)
        columns.cursor = index
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one(OptionList).highlighted = list(FIELDS).index(field)
        await pilot.press("enter")
        await wait_idle(app, pilot, screen)

    def shown(index: int) -> str:
        return str(screen._render_column(rows(columns)[index], 80))

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        screen = app.screen
        await pilot.press(*str(path), "enter")
        await wait_idle(app, pilot, screen)
        columns = screen.query_one("#import-columns", RowList)
        # "Job" is an alias of title too, but "Title" came first
        assert rows(columns) == [("Name", "name"), ("Title", "title"), ("Job", None)]
        await choose(2, "title")
        assert rows(columns) == [("Name", "name"), ("Title", None), ("Job", "title")]
        assert "extra data (Job feeds title)" in shown(1)
        assert "title (you)" in shown(2)
        assert "column 'Title' kept as extra data" in str(screen.query_one("#import-info").render())
        # choosing Title again takes the field back: the earlier choice is dropped
        await choose(1, "title")
        assert screen.mapping == {"Title": "title"}
        assert rows(columns) == [("Name", "name"), ("Title", "title"), ("Job", None)]
        assert "extra data (Title feeds title)" in shown(2)
        await pilot.press("ctrl+s")
        await wait_idle(app, pilot, screen)
    contacts = by_name(store)
    assert (contacts["Bob"]["title"], contacts["Bob"]["extra"]) == ("CTO", {"Job": "Chief"})
    store.close()
