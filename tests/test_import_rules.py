"""Import rules on small hand-made files: encodings, binary junk, odd dates,
day/month order, ragged rows, matching and re-import, Excel."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest

from store import Store, StoreError, import_file, preview_file
from store.formats import ReadOptions

from conftest import TODAY


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "rules.db", today=TODAY)
    yield s
    s.close()


def write(tmp_path: Path, name: str, data: str | bytes, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def snapshot(s: Store):
    return ([tuple(r) for r in s.conn.execute("SELECT * FROM contacts ORDER BY id")],
            [tuple(r) for r in s.conn.execute("SELECT * FROM activities ORDER BY id")])


def only(s: Store) -> dict:
    [c] = s.contacts()
    return c


def acts(s: Store, cid: int):
    return sorted((a["kind"], a["outcome"], a["at"][:10], a["note"])
                  for a in s.history(cid) if a["kind"] != "status")


# ---------------------------------------------------------------- encodings
def test_utf8_file_with_one_bad_line_keeps_every_other_accent(tmp_path, store):
    lines = ["Contact,Company,E-mail"] + [
        f"Zoë Müller {i},Café Ørsted,z{i}@x.test" for i in range(1, 20)]
    data = ("\r\n".join(lines[:6]) + "\r\n").encode("utf-8")
    data += b"Bad\x81\x8dName,Acme,bad@x.test\r\n"  # line 7
    data += ("\r\n".join(lines[6:]) + "\r\n").encode("utf-8")
    report = import_file(store, write(tmp_path, "mostly-utf8.csv", data))
    assert report.encoding == "utf-8"
    names = [c["name"] for c in store.contacts()]
    assert sum(1 for n in names if n.startswith("Zoë Müller ")) == 19
    assert all("Ã" not in n for n in names)
    assert any(line == 7 and "not valid UTF-8" in msg for line, msg in report.warnings)
    assert [w for w in report.warnings if "UTF-8" in w[1]] == [w for w in report.warnings if w[0] == 7]


def test_mixed_utf8_and_cp1252_lines_each_decoded_right(tmp_path, store):
    data = "Contact,Company\r\n".encode() + "René Dubois,Crème SA\r\n".encode("utf-8") \
        + "Zoë Lindqvist,Skål AB\r\n".encode("cp1252") + "Jürgen Wölk,Öl GmbH\r\n".encode("utf-8")
    report = import_file(store, write(tmp_path, "mixed.csv", data))
    assert sorted(c["name"] for c in store.contacts()) == ["Jürgen Wölk", "René Dubois", "Zoë Lindqvist"]
    assert sorted(c["company"] for c in store.contacts()) == ["Crème SA", "Skål AB", "Öl GmbH"]
    assert [line for line, msg in report.warnings if "UTF-8" in msg] == [3]


def test_a_guessed_code_page_is_said_with_the_way_to_choose_another(tmp_path, store):
    data = "Contact,Company\r\nZoë Lindqvist,Skål AB\r\nRené Dubois,Crème SA\r\n".encode("cp1252")
    report = import_file(store, write(tmp_path, "west.csv", data))
    assert report.encoding == "cp1252"
    assert any("code page was guessed as cp1252" in n and "--encoding" in n for n in report.notes)
    # said only of a guess: UTF-8, or a code page chosen, needs no such note
    for data, options in (("Contact\r\nZoë\r\n".encode(), None),
                          (data, ReadOptions(encoding="cp1252"))):
        report = import_file(store, write(tmp_path, "plain.csv", data), options)
        assert not any("guessed" in n for n in report.notes)


def test_encoding_override_and_its_error(tmp_path, store):
    path = write(tmp_path, "latin.csv", "Contact\r\nJosé Ñúñez\r\n", "latin-1")
    import_file(store, path, ReadOptions(encoding="latin-1"))
    assert only(store)["name"] == "José Ñúñez"
    utf16 = write(tmp_path, "u16.csv", "Contact\r\nJosé\r\n", "utf-16-le")
    with pytest.raises(StoreError, match="line 2"):
        import_file(store, write(tmp_path, "bad.csv", b"Contact\r\n\xff\xfe\xfa\r\n"),
                    ReadOptions(encoding="utf-8"))
    with pytest.raises(StoreError, match="unknown encoding"):
        import_file(store, utf16, ReadOptions(encoding="klingon"))


@pytest.mark.parametrize("encoding, bom", [("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"),
                                           ("utf-16-be", b"\xfe\xff"), ("utf-16-le", b""),
                                           ("utf-16-be", b"")])
def test_bom_never_reaches_the_first_header(tmp_path, store, encoding, bom):
    path = tmp_path / "bom.csv"
    path.write_bytes(bom + "E-mail,Contact\r\nann@x.test,Ann Émile\r\n".encode(encoding))
    report = import_file(store, path)
    assert report.columns[0] == ("E-mail", "email")
    c = only(store)
    assert (c["email"], c["name"]) == ("ann@x.test", "Ann Émile")


# ------------------------------------------------------------ binary / odd files
def test_binary_junk_late_in_a_file_is_refused_with_its_line(tmp_path, store):
    rows = "".join(f"P{i},p{i}@x.test\r\n" for i in range(3000))
    data = ("Contact,E-mail\r\n" + rows).encode() + b"junk\x00\x00\x01\x02\r\n"
    with pytest.raises(StoreError) as info:
        import_file(store, write(tmp_path, "late-nul.csv", data))
    assert "line 3002" in str(info.value) and "binary" in str(info.value)
    data = ("Contact,E-mail\r\n" + rows).encode() + bytes(range(1, 32)) * 3 + b"\r\n"
    with pytest.raises(StoreError) as info:
        import_file(store, write(tmp_path, "late-ctl.csv", data))
    assert "line 3002" in str(info.value) and "control characters" in str(info.value)
    assert store.count_contacts() == 0


def test_colour_codes_in_a_line_are_cleaned_not_taken_for_binary(tmp_path, store):
    # five escape sequences in a 60-byte line (a tenth of it ESC bytes) were
    # refused as binary data; they are text to clean
    line = "\x1b[1mAnn\x1b[0m \x1b[31mLee\x1b[0m,\x1b[4mann@x.test\x1b[0m"
    report = import_file(store, write(tmp_path, "ansi.csv", f"Contact,E-mail\r\n{line}\r\n"))
    assert report.added == 1
    c = only(store)
    assert (c["name"], c["email"]) == ("Ann Lee", "ann@x.test")


def test_a_cell_longer_than_the_csv_default_limit_imports(tmp_path, store):
    note = "y" * 200_000
    data = "Contact,E-mail,Notes\r\n" + "".join(f"P{i},p{i}@x.test,ok\r\n" for i in range(250)) \
        + f'Bob,bob@x.test,"{note}"\r\n'
    report = import_file(store, write(tmp_path, "long.csv", data))
    assert report.added == 251
    [bob] = [c for c in store.contacts() if c["name"] == "Bob"]
    assert bob["notes"] == note


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_fifo_and_device_are_refused(tmp_path, store):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(StoreError, match="named pipe"):
        import_file(store, fifo)
    if Path("/dev/zero").exists():
        with pytest.raises(StoreError, match="device"):
            import_file(store, "/dev/zero")


def test_header_only_file_says_there_are_no_contacts(tmp_path, store):
    with pytest.raises(StoreError) as info:
        import_file(store, write(tmp_path, "header.csv", "Contact,Company,E-mail\r\n"))
    assert "no contacts" in str(info.value)


def test_pipe_delimited_file_is_read(tmp_path, store):
    report = import_file(store, write(tmp_path, "pipes.txt",
                                      "Contact|E-mail|ID/Status\r\nAnn Lee|ann@x.test|Prospect\r\n"))
    assert report.delimiter == "pipe"
    c = only(store)
    assert (c["name"], c["email"], c["status_key"]) == ("Ann Lee", "ann@x.test", "P")


def test_ragged_rows_keep_every_value_and_warn(tmp_path, store):
    report = import_file(store, write(tmp_path, "ragged.csv",
                                      "Contact,E-mail\r\nAnn,ann@x.test,extra1,extra2\r\nBo\r\n"))
    ann = [c for c in store.contacts() if c["name"] == "Ann"][0]
    assert ann["extra"] == {"Column 3": "extra1", "Column 4": "extra2"}
    assert [line for line, msg in report.warnings if "more field" in msg] == [2]
    assert [c["name"] for c in store.contacts() if c["name"] == "Bo"] == ["Bo"]


# --------------------------------------------------------------------- dates
def test_odd_dates_are_warned_kept_as_text_and_not_history(tmp_path, store):
    report = import_file(store, write(
        tmp_path, "odd.csv",
        "Contact,Phone,ID/Status,Last Reach,Last Attempt,Create Date\r\n"
        "Ann,555-0100,Prospect,1/1/0001,12/31/9999,5/5/2030\r\n"))
    c = only(store)
    assert acts(store, c["id"]) == []
    assert c["extra"] == {"Last Reach": "1/1/0001", "Last Attempt": "12/31/9999", "Create Date": "5/5/2030"}
    assert c["created_at"][:10] == "2026-12-03"  # future Create Date → the import day
    assert sorted(msg.split(":")[0] for line, msg in report.warnings if line == 2) == [
        "Create Date", "Last Attempt", "Last Reach"]
    assert c["next_call_due"] == "2026-12-03"


def test_day_month_order_decided_from_the_file(tmp_path, store):
    # 25/03/2021 can only be day/month: every date in the file is read that way
    report = import_file(store, write(
        tmp_path, "uk.csv",
        "Name,Phone,Status,Last Reach,Created\r\n"
        "Ann,555-0100,Prospect,03/04/2021,25/03/2021\r\n"))
    assert report.date_order == "dmy"
    c = only(store)
    assert acts(store, c["id"]) == [("call", "reached", "2021-04-03", None)]
    assert c["created_at"] == "2021-03-25"
    assert any("day/month/year" in n and "25/03/2021" in n for n in report.notes)


def test_undecidable_day_month_order_is_reported_not_guessed(tmp_path, store):
    report = import_file(store, write(
        tmp_path, "unsure.csv", "Name,Phone,Status,Last Reach\r\nAnn,555-0100,Prospect,03/04/2021\r\n"))
    c = only(store)
    assert acts(store, c["id"]) == []
    assert c["extra"] == {"Last Reach": "03/04/2021"}
    assert report.date_order == ""
    assert any("--date-order" in n for n in report.notes)
    assert any(line == 2 and "could be day/month or month/day" in m for line, m in report.warnings)
    # the user decides: the same file with --date-order reads it
    import_file(store, write(tmp_path, "unsure.csv",
                             "Name,Phone,Status,Last Reach\r\nAnn,555-0100,Prospect,03/04/2021\r\n"),
                ReadOptions(date_order="mdy"))
    assert acts(store, c["id"]) == [
        ("call", "reached", "2021-03-04", None),
        ("note", "changed", "2026-12-03",
         "Changed by import of unsure.csv (line 2): Last Reach: '03/04/2021' read as a date")]
    # the text kept for want of an order goes now that history holds the date
    # (an export wrote it back as "Last Reach (extra)" beside the real one)
    assert only(store)["extra"] == {}
    again = import_file(store, tmp_path / "unsure.csv", ReadOptions(date_order="mdy"))
    assert (again.merged, again.unchanged) == (0, 1)


def test_act_exports_default_to_us_dates_when_undecided_and_say_so(tmp_path, store):
    report = import_file(store, write(
        tmp_path, "act.csv", "Contact,Phone,ID/Status,Last Reach\r\nAnn,555-0100,Prospect,03/04/2021\r\n"))
    c = only(store)
    assert acts(store, c["id"]) == [("call", "reached", "2021-03-04", None)]
    assert report.date_order == "mdy"
    assert any("as this exporter writes them" in n for n in report.notes)


def test_iso_and_month_name_dates(tmp_path, store):
    import_file(store, write(tmp_path, "d.csv",
                             "Name,Phone,Status,Last Reach,Created\r\n"
                             "Ann,555-0100,Prospect,2024-02-29,12 Mar 2021\r\n"))
    c = only(store)
    assert acts(store, c["id"]) == [("call", "reached", "2024-02-29", None)]
    assert c["created_at"] == "2021-03-12"


# ------------------------------------------------------------------ mapping
def test_aliases_fuzzy_and_unmatched_columns(tmp_path, store):
    report = import_file(store, write(
        tmp_path, "generic.csv",
        "Full Name;E-Mail Adress;Cell;Organisation;Favourite Colour\r\n"
        "Ann Lee;ann@x.test;0412 345 678;Acme;green\r\n"))
    assert report.delimiter == "semicolon"
    fields = dict(report.columns)
    assert fields == {"Full Name": "name", "E-Mail Adress": "email", "Cell": "mobile",
                      "Organisation": "company", "Favourite Colour": None}
    assert report.extra_columns == ["Favourite Colour"]
    c = only(store)
    assert (c["name"], c["email"], c["phone"], c["company"]) == ("Ann Lee", "ann@x.test", "0412 345 678", "Acme")
    assert c["extra"] == {"Favourite Colour": "green"}


def test_map_option_overrides_and_checks_names(tmp_path, store):
    path = write(tmp_path, "odd.csv", "Who,Reach me at,Colour\r\nAnn Lee,ann@x.test,green\r\n")
    with pytest.raises(StoreError, match="no contact columns"):
        import_file(store, path)
    import_file(store, path, ReadOptions(mapping={"Who": "name", "reach me at": "email"}))
    c = only(store)
    assert (c["name"], c["email"], c["extra"]) == ("Ann Lee", "ann@x.test", {"Colour": "green"})
    with pytest.raises(StoreError, match="no column 'Nope'"):
        import_file(store, path, ReadOptions(mapping={"Nope": "name", "Who": "name"}))
    with pytest.raises(StoreError, match="unknown field 'nickname'"):
        import_file(store, path, ReadOptions(mapping={"Who": "nickname"}))


def test_format_override(tmp_path, store):
    # a vCard-looking file read as CSV has no contact columns; as vCard it works
    path = write(tmp_path, "card.txt", "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nEND:VCARD\r\n")
    with pytest.raises(StoreError):
        import_file(store, path, ReadOptions(format="csv"))
    report = import_file(store, path)
    assert report.format == "vcard" and only(store)["name"] == "Ann Lee"


def test_format_vcard_on_a_workbook_is_refused_not_ignored(tmp_path, store):
    path = make_xlsx(tmp_path / "book.xlsx", {"Leads": [["Name", "E-mail"], ["Bo Bell", "bo@x.test"]]})
    with pytest.raises(StoreError, match="--format vcard: this is an Excel workbook, not a vCard"):
        import_file(store, path, ReadOptions(format="vcard"))
    with pytest.raises(StoreError, match="not an Excel .xlsx workbook"):  # and the other way
        import_file(store, write(tmp_path, "a.csv", "Name\r\nAnn\r\n"), ReadOptions(format="xlsx"))
    assert store.count_contacts() == 0
    report = import_file(store, path, ReadOptions(format="act"))  # a header profile: kept
    assert report.added == 1


# ------------------------------------------------------------ vCard details
def test_vcard_21_folding_quoted_printable_and_escapes(tmp_path, store):
    card = ("BEGIN:VCARD\r\nVERSION:2.1\r\n"
            "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen\r\n"
            "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=\r\n"
            "=BCller\r\n"
            "NOTE;ENCODING=QUOTED-PRINTABLE:first line=0D=0Asecond; line\r\n"
            "TEL;WORK;VOICE:+1 415 555 0100\r\nTEL;CELL:+1 415 555 0199\r\n"
            "EMAIL;INTERNET;HOME:j@home.test\r\nEMAIL;PREF;INTERNET;WORK:j@work.test\r\n"
            "ORG:M=C3=BCller & Co\r\n"
            "END:VCARD\r\n"
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\n  Lee\r\nNOTE:one\\, two\\; three\\nfour\r\n"
            "item1.EMAIL;type=INTERNET:ann@x.test\r\nitem1.X-ABLabel:Club\r\nEND:VCARD\r\n")
    import_file(store, write(tmp_path, "cards.vcf", card))
    j = [c for c in store.contacts() if c["first_name"] == "Jürgen"][0]
    assert j["name"] == "Jürgen Müller" and j["last_name"] == "Müller"
    assert j["notes"] == "first line\nsecond; line"
    assert [(p["type"], p["value"]) for p in j["phones"]] == [("work", "+1 415 555 0100"),
                                                              ("mobile", "+1 415 555 0199")]
    assert [e["value"] for e in j["emails"]] == ["j@work.test", "j@home.test"]  # PREF first
    assert j["company"] == "M=C3=BCller & Co"  # not marked quoted-printable: kept as written
    ann = [c for c in store.contacts() if c["name"] == "Ann Lee"][0]  # "Ann" folded with " Lee"
    assert ann["notes"] == "one, two; three\nfour"
    assert ann["emails"] == [{"type": "club", "value": "ann@x.test"}]


def test_damaged_cards_and_lines_are_reported_the_others_import(tmp_path, store):
    text = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good One\r\nEND:VCARD\r\n"
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Odd\r\nthis line has no colon\r\nEND:VCARD\r\n"
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bad\r\nBDAY;VALUE=\"unclosed:1970\r\nEND:VCARD\r\n"
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good Two\r\nEND:VCARD\r\n")
    report = import_file(store, write(tmp_path, "mixed.vcf", text))
    assert sorted(c["name"] for c in store.contacts()) == ["Good One", "Good Two", "Odd"]
    odd = [c for c in store.contacts() if c["name"] == "Odd"][0]
    assert odd["extra"] == {"Unreadable vCard line": "this line has no colon"}
    assert [line for line, _ in report.warnings] == [8]
    assert [line for line, _ in report.skipped] == [10]


def test_vcard_without_end_is_refused(tmp_path, store):
    with pytest.raises(StoreError, match="no END:VCARD"):
        import_file(store, write(tmp_path, "open.vcf", "BEGIN:VCARD\r\nFN:Ann\r\n"))
    assert store.count_contacts() == 0


# ------------------------------------------------------------------- Excel
def make_xlsx(path: Path, sheets: dict[str, list[list]], formats: dict | None = None) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        for (r, c), fmt in (formats or {}).get(title, {}).items():
            ws.cell(row=r, column=c).number_format = fmt
    wb.save(path)
    return path


def test_xlsx_first_sheet_dates_numbers_and_zero_padded_zip(tmp_path, store):
    path = make_xlsx(tmp_path / "book.xlsx", {
        "Contacts": [["Name", "Phone", "ZIP", "Status", "Last Reach", "Created", "Score"],
                     ["Ann Lee", 4155550100, 4899, "Key Client", datetime(2026, 11, 2), "3/25/2021", 2.5]],
        "Other": [["Name", "E-mail"], ["Bo Other", "bo@x.test"]],
    }, {"Contacts": {(2, 3): "00000"}})
    report = import_file(store, path)
    assert (report.format, report.sheet) == ("xlsx", "Contacts")
    c = only(store)
    assert c["phone"] == "4155550100"  # a number cell, kept as its digits
    assert c["phones"][0]["norm"] == "+14155550100"
    assert c["extra"] == {"ZIP": "04899", "Score": "2.5"}
    assert c["status_key"] == "K"
    assert acts(store, c["id"]) == [("call", "reached", "2026-11-02", None)]
    assert c["created_at"] == "2021-03-25"


def test_xlsx_sheet_option(tmp_path, store):
    path = make_xlsx(tmp_path / "book.xlsx", {
        "Contacts": [["Name", "Phone"], ["Ann Lee", "555"]],
        "Other": [["Name", "E-mail"], ["Bo Other", "bo@x.test"]],
    })
    import_file(store, path, ReadOptions(sheet="Other"))
    assert only(store)["email"] == "bo@x.test"
    with pytest.raises(StoreError, match="no sheet named 'Nope'"):
        import_file(store, path, ReadOptions(sheet="Nope"))
    # a name in any case, as Excel compares them; a number within the workbook
    assert preview_file(path, ReadOptions(sheet="other")).sheet == "Other"
    assert preview_file(path, ReadOptions(sheet="2")).sheet == "Other"
    with pytest.raises(StoreError, match="the workbook has 2 sheet.s.: Contacts, Other"):
        preview_file(path, ReadOptions(sheet="9"))


def test_zip_that_is_not_a_workbook(tmp_path, store):
    import zipfile

    path = tmp_path / "archive.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("notes.txt", "hello")
    with pytest.raises(StoreError, match="ZIP archive"):
        import_file(store, path)


# ------------------------------------------------------- matching & re-import
def test_narrower_file_never_blanks_fields(tmp_path, store):
    import_file(store, write(tmp_path, "wide.csv",
                             "Contact,Company,Title,E-mail,Phone,Mobile Phone,ID/Status,Notes,City\r\n"
                             "Ann Lee,Acme,CEO,ann@x.test,555-0100,555-0199,Key Client,likes tea,Paris\r\n"))
    before = only(store)
    report = import_file(store, write(tmp_path, "narrow.csv", "E-mail,Contact\r\nann@x.test,Ann Lee\r\n"))
    after = only(store)
    assert report.unchanged == 1 and report.merged == 0
    for key in ("company", "title", "phone", "phones", "status_key", "notes", "extra", "email"):
        assert after[key] == before[key], key


def test_changed_phone_is_updated_and_old_value_kept_in_history(tmp_path, store):
    import_file(store, write(tmp_path, "v1.csv", "Contact,E-mail,Phone\r\nAnn Lee,ann@x.test,555-0100\r\n"))
    report = import_file(store, write(tmp_path, "v2.csv",
                                      "Contact,E-mail,Phone\r\nAnn Lee,ann@x.test,(415) 555-0142\r\n"))
    assert report.merged == 1
    c = only(store)
    assert c["phone"] == "(415) 555-0142"
    assert [p["value"] for p in c["phones"]] == ["(415) 555-0142"]
    [note] = [h["note"] for h in store.history(c["id"]) if h["kind"] == "note"]
    assert note == "Changed by import of v2.csv (line 2): Phone (work): '555-0100' → '(415) 555-0142'"


def test_match_by_normalized_phone_then_name_company(tmp_path, store):
    import_file(store, write(tmp_path, "a.csv",
                             "Contact,Company,Phone\r\nAnn Lee,Acme,+1 (415) 555-0100\r\nBo Bell,Bolt,\r\n"))
    report = import_file(store, write(tmp_path, "b.csv",
                                      "Contact,Company,Phone,E-mail\r\n"
                                      "Ann Lee,Acme,415.555.0100,ann@x.test\r\n"
                                      "bo bell,BOLT,,\r\n"))
    assert report.added == 0
    assert store.count_contacts() == 2
    ann = [c for c in store.contacts() if c["name"] == "Ann Lee"][0]
    assert ann["email"] == "ann@x.test"
    assert [p["value"] for p in ann["phones"]] == ["+1 (415) 555-0100"]  # same number, kept as first written


def test_shared_office_phone_does_not_merge_different_people(tmp_path, store):
    report = import_file(store, write(tmp_path, "office.csv",
                                      "Contact,Company,Phone\r\nAnn Lee,Acme,555-0100\r\n"
                                      "Bo Bell,Acme,555-0100\r\n"))
    assert report.added == 2 and report.merged == 0


def test_two_names_sharing_one_email_are_reported_not_merged(tmp_path, store):
    import_file(store, write(tmp_path, "a.csv", "Contact,E-mail\r\nAnn Lee,shared@x.test\r\n"))
    report = import_file(store, write(tmp_path, "b.csv",
                                      "Contact,E-mail\r\nBo Bell,SHARED@x.test\r\nAnn B. Lee,shared@x.test\r\n"))
    assert [line for line, _ in report.skipped] == [2]
    assert "already belongs to 'Ann Lee'" in report.skipped[0][1]
    # "Ann B. Lee" is the same person, written more fully: merged, name updated
    assert [c["name"] for c in store.contacts()] == ["Ann B. Lee"]
    assert report.merged == 1 and report.added == 0


def test_in_file_case_only_differences_are_not_warned(tmp_path, store):
    report = import_file(store, write(tmp_path, "dups.csv",
                                      "Contact,Company,E-mail,ID/Status\r\n"
                                      "Ann Lee,Acme,ann@x.test,prospect\r\n"
                                      "Ann Lee,ACME,ANN@x.test,Prospect\r\n"
                                      "Ann Lee,Zenith,ann@x.test,\r\n"))
    assert report.merged == 2
    assert report.warnings == [(4, "duplicate of line 2: kept Company 'Acme', not 'Zenith'")]


def test_raw_status_mapping_is_remembered(tmp_path, store):
    path = write(tmp_path, "s.csv", "Contact,ID/Status\r\nAnn,Prosp.\r\nBo,Prosp.\r\nCy,\r\n")
    preview = preview_file(path)
    assert preview.raw_statuses == {"Prosp.": 2, "": 1}
    report = import_file(store, path, ReadOptions(status_map={"Prosp.": "p"}))
    assert report.unclassified == 1 and report.no_status == 1
    assert store.count_contacts(status="P") == 2
    later = import_file(store, write(tmp_path, "t.csv", "Contact,ID/Status\r\nDee,prosp.\r\n"))
    assert later.unclassified == 0
    assert [c["name"] for c in store.contacts(status="P")] == ["Ann", "Bo", "Dee"]
    assert store.remembered_statuses() == {"prosp.": "P"}


def test_mapping_a_raw_status_maps_contacts_already_carrying_it(tmp_path, store):
    import_file(store, write(tmp_path, "a.csv",
                             "Contact,Phone,ID/Status\r\nAnn,555-0100,Trade Show\r\nBo,,trade  show\r\n"))
    assert store.count_contacts(status="-") == 2
    import_file(store, write(tmp_path, "b.csv", "Contact,ID/Status\r\nCy,Trade Show\r\n"),
                ReadOptions(status_map={"Trade Show": "n"}))
    assert sorted(c["name"] for c in store.contacts(status="N")) == ["Ann", "Bo", "Cy"]
    ann = [c for c in store.contacts() if c["name"] == "Ann"][0]
    change = store.history(ann["id"])[0]
    assert (change["kind"], change["new_status"], change["source"]) == ("status", "New Lead", "import")
    # derived columns follow: a new lead is due for a call on arrival (today)
    assert ann["next_call_due"] == "2026-12-03"



def test_derived_columns_of_new_contacts_agree_with_rebuild(tmp_path, store):
    import_file(store, write(tmp_path, "h.csv",
                             "Contact,E-mail,Phone,ID/Status,Last Reach,Last Attempt,Create Date\r\n"
                             "Ann,a@x.test,555-0100,Key Client,1/15/2026,2/20/2026,1/1/2020\r\n"
                             "Bo,b@x.test,,Secondary Client,,3/3/2026,1/1/2021\r\n"
                             "Cy,,555-0101,New Lead,,,\r\n"
                             "Di,d@x.test,555-0102,Vendor,1/15/2026,,1/1/2020\r\n"))
    cols = "id, last_call_reached, last_email_sent, call_attempts, next_call_due, next_email_due"
    before = [tuple(r) for r in store.conn.execute(f"SELECT {cols} FROM contacts ORDER BY id")]
    store.rebuild_derived()
    after = [tuple(r) for r in store.conn.execute(f"SELECT {cols} FROM contacts ORDER BY id")]
    assert before == after
    ann = [c for c in store.contacts() if c["name"] == "Ann"][0]
    assert (ann["next_call_due"], ann["next_email_due"], ann["call_attempts"]) == (
        "2026-04-15", "2020-01-01", 1)  # 1/15/2026 + 90; never e-mailed: created


# ------------------------------------------------------------- interruption
def test_keyboard_interrupt_midway_leaves_database_as_before(tmp_path, store, monkeypatch):
    import store.importer as importer

    import_file(store, write(tmp_path, "seed.csv", "Contact,E-mail\r\nSeed,seed@x.test\r\n"))
    before = snapshot(store)
    path = write(tmp_path, "big.csv", "Contact,E-mail\r\n" + "".join(
        f"P{i},p{i}@x.test\r\n" for i in range(6000)))
    calls = {"n": 0}
    real = importer.search_text

    def interrupt(*args):
        calls["n"] += 1
        if calls["n"] == 4500:  # after two batches of 2000 were written
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(importer, "search_text", interrupt)
    with pytest.raises(KeyboardInterrupt):
        import_file(store, path)
    assert snapshot(store) == before


def test_phone_region_setting_normalizes_national_numbers(tmp_path, store):
    with pytest.raises(StoreError, match="phone_region"):
        store.set_setting("phone_region", "Narnia")
    assert store.settings()["phone_region"] == "US"
    store.set_setting("phone_region", "gb")
    assert store.settings()["phone_region"] == "GB"
    import_file(store, write(tmp_path, "uk.csv", "Contact,Phone\r\nAnn,020 7946 0000\r\n"))
    assert only(store)["phones"] == [{"type": "work", "value": "020 7946 0000", "norm": "+442079460000"}]
    # the same number written internationally is the same contact
    report = import_file(store, write(tmp_path, "intl.csv", "Contact,Phone\r\nAnn,+44 20 7946 0000\r\n"))
    assert (report.added, report.unchanged) == (0, 1)


def test_fast_phone_path_agrees_with_phonenumbers():
    import random

    import phonenumbers

    from store.formats.values import phone_key

    rng = random.Random(5)
    shapes = ["({a}) {b}-{c}", "{a}-{b}-{c}", "{a}.{b}.{c}", "+1 {a} {b} {c}", "{a}{b}{c}",
              "+1 ({a}) {b}-{c}", "1-{a}-{b}-{c}", "+1-{a}-{b}-{c}"]
    for _ in range(3000):
        text = rng.choice(shapes).format(a=f"{rng.randint(0, 999):03d}", b=f"{rng.randint(0, 999):03d}",
                                         c=f"{rng.randint(0, 9999):04d}")
        try:
            number = phonenumbers.parse(text, "US")
            expected = (phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
                        if phonenumbers.is_possible_number(number) else None)
        except phonenumbers.NumberParseException:
            expected = None
        got = phone_key(text, "US")
        if expected is not None:
            assert got == expected, text
        else:
            assert got is None or not got.startswith("+"), text


def test_a_shared_phone_merges_only_whole_name_matches(tmp_path, store):
    # an office line: Jo Ng and Jo Ngo are two people; P17 and P19 too;
    # "Dr. Ann B. Lee" is Ann Lee written more fully, so she merges
    path = write(tmp_path, "office.csv",
                 "Contact,E-mail,Phone\r\n"
                 "Jo Ng,jo@x.test,212-555-0188\r\n"
                 "Jo Ngo,jongo@x.test,(212) 555-0188\r\n"
                 "P17 Person,p17@x.test,212-555-0190\r\n"
                 "P19 Person,p19@x.test,212-555-0190\r\n"
                 "Ann Lee,,212-555-0177\r\n"
                 "Dr. Ann B. Lee,ann@x.test,212.555.0177\r\n")
    report = import_file(store, path)
    assert (report.added, report.merged) == (5, 1)
    by_name = {c["name"]: c for c in store.contacts()}
    assert set(by_name) == {"Jo Ng", "Jo Ngo", "P17 Person", "P19 Person", "Ann Lee"}
    assert (by_name["Jo Ngo"]["email"], by_name["Jo Ngo"]["phone"]) == ("jongo@x.test", "(212) 555-0188")
    assert by_name["Ann Lee"]["email"] == "ann@x.test"


class _CommitThenCtrlC:
    """The store's connection, with a Ctrl-C arriving just as COMMIT has
    written (as when a user presses it during the seconds a large import
    spends in COMMIT: Python raises it once the C call returns)."""

    def __init__(self, conn):
        self._conn = conn

    def __getattr__(self, name):
        return getattr(self._conn, name)

    def execute(self, sql, *args):
        result = self._conn.execute(sql, *args)
        if sql == "COMMIT":
            import signal

            os.kill(os.getpid(), signal.SIGINT)
        return result


def test_ctrl_c_during_commit_is_not_reported_as_an_abort(tmp_path, store):
    path = write(tmp_path, "late.csv", "Contact,E-mail\r\nAnn Lee,ann@x.test\r\nBo Bell,bo@x.test\r\n")
    real = store.conn
    store.conn = _CommitThenCtrlC(real)
    try:
        report = import_file(store, path)  # returns: the import was saved
    finally:
        store.conn = real
    assert report.added == 2 and any("too late to stop" in n for n in report.notes)
    assert {c["name"] for c in store.contacts()} == {"Ann Lee", "Bo Bell"}


def test_a_narrower_file_names_the_same_people_and_repeats_no_history(tmp_path, store):
    wide = write(tmp_path, "wide.csv",
                 "Contact,Company,Title,E-mail,Last Reach,Last Results\r\n"
                 "Lea Miller,Acme,CEO,,,\r\n"
                 "Ann Lee,Bolt,,ann@x.test,3/1/2024,Left a message\r\n")
    assert import_file(store, wide).added == 2
    before = snapshot(store)
    # no Company column, no Last Results: the same two people, nothing new
    narrow = write(tmp_path, "narrow.csv",
                   "Contact,Title,E-mail,Last Reach\r\n"
                   "Lea Miller,CEO,,\r\n"
                   "Ann Lee,,ann@x.test,3/1/2024\r\n")
    report = import_file(store, narrow)
    assert (report.added, report.merged, report.unchanged) == (0, 0, 2)
    assert snapshot(store) == before
    ann = [c for c in store.contacts() if c["name"] == "Ann Lee"][0]
    assert acts(store, ann["id"]) == [("call", "reached", "2024-03-01", "Left a message")]


def test_a_call_imported_without_its_result_gets_it_from_a_later_file(tmp_path, store):
    import_file(store, write(tmp_path, "a.csv", "Contact,E-mail,Last Reach\r\nAnn Lee,ann@x.test,3/1/2024\r\n"))
    report = import_file(store, write(tmp_path, "b.csv", "Contact,E-mail,Last Reach,Last Results\r\n"
                                                         "Ann Lee,ann@x.test,3/1/2024,Wants a quote\r\n"))
    assert report.merged == 1
    cid = only(store)["id"]
    assert [a for a in acts(store, cid) if a[0] == "call"] == [("call", "reached", "2024-03-01", "Wants a quote")]


def test_a_name_without_company_that_fits_two_contacts_is_reported(tmp_path, store):
    import_file(store, write(tmp_path, "two.csv", "Contact,Company\r\nLea Miller,Acme\r\nLea Miller,Bolt\r\n"))
    report = import_file(store, write(tmp_path, "one.csv", "Contact,Title\r\nLea Miller,CEO\r\n"))
    assert report.added == 0 and report.skipped_total == 1
    [(line, reason)] = report.skipped
    assert line == 2 and "matches 2 contacts" in reason
    assert all(c["title"] is None for c in store.contacts())


def test_another_spelling_of_the_same_status_is_no_change(tmp_path, store):
    import_file(store, write(tmp_path, "a.csv", "Contact,E-mail,ID/Status\r\nAnn Lee,ann@x.test,Key Clients\r\n"))
    before = snapshot(store)
    report = import_file(store, write(tmp_path, "b.csv", "Contact,E-mail,ID/Status\r\nAnn Lee,ann@x.test,KEY CLIENT\r\n"))
    assert report.unchanged == 1 and snapshot(store) == before
    assert only(store)["status_raw"] == "Key Clients"


def test_an_in_file_duplicate_with_another_work_phone_is_kept_and_said(tmp_path, store):
    report = import_file(store, write(tmp_path, "d.csv", "Contact,E-mail,Phone\r\n"
                                                         "Ann Lee,ann@x.test,212-555-0101\r\n"
                                                         "Ann Lee,ANN@x.test,212-555-0199\r\n"))
    assert (report.added, report.merged) == (1, 1)
    assert [p["value"] for p in only(store)["phones"]] == ["212-555-0101", "212-555-0199"]
    assert (3, "duplicate of line 2: added Phone (work) '212-555-0199' beside '212-555-0101'") in report.warnings


def test_whole_names_sort_by_their_last_word_also_after_an_upgrade(tmp_path, store):
    import sqlite3

    import_file(store, write(tmp_path, "n.csv", "Name,E-mail\r\nZoe Alpha,z@x.test\r\n"
                                                "Ann Zed,a@x.test\r\nBo B. Middle,b@x.test\r\n"))
    assert [c["name"] for c in store.contacts()] == ["Zoe Alpha", "Bo B. Middle", "Ann Zed"]
    path = store.path
    store.close()
    with sqlite3.connect(path) as conn:  # as an older version stored them: by first word
        conn.execute("UPDATE contacts SET sort_name = lower(name)")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm007_sort_whole_names'")
    again = Store(path, today=TODAY)
    assert [c["name"] for c in again.contacts()] == ["Zoe Alpha", "Bo B. Middle", "Ann Zed"]
    again.close()


def test_an_import_asked_to_stop_rolls_back(tmp_path, store):
    path = write(tmp_path, "many.csv", "Contact,E-mail\r\n" + "".join(
        f"P{i} Person,p{i}@x.test\r\n" for i in range(2500)))
    asked = []

    def stop() -> bool:  # asked every 1,000 rows; says stop at the second time
        asked.append(1)
        return len(asked) == 2

    with pytest.raises(StoreError, match="import stopped: nothing was imported"):
        import_file(store, path, stop=stop)
    assert len(asked) == 2 and store.count_contacts() == 0


def test_a_stop_asked_while_the_import_is_being_saved_still_rolls_back(tmp_path, store):
    # 2,500 rows: asked at rows 1,000 and 2,000, then after the last row,
    # before the indexes and due dates are brought up to date, and just
    # before the commit; a stop at any of those leaves nothing written
    path = write(tmp_path, "many.csv", "Contact,E-mail\r\n" + "".join(
        f"P{i} Person,p{i}@x.test\r\n" for i in range(2500)))
    for last in (3, 4, 5):
        asked = []

        def stop() -> bool:
            asked.append(1)
            return len(asked) == last

        with pytest.raises(StoreError, match="import stopped: nothing was imported"):
            import_file(store, path, stop=stop)
        assert len(asked) == last and store.count_contacts() == 0
    asked = []
    import_file(store, path, stop=lambda: asked.append(1) and False)
    assert len(asked) == 5 and store.count_contacts() == 2500


def test_a_file_showing_both_date_orders_keeps_unclear_dates_as_text(tmp_path, store):
    # Act! labels (whose usual order is month first), but the file itself
    # shows both orders: 03/04/2021 must not become history either way
    report = import_file(store, write(tmp_path, "both.csv", "Contact,E-mail,Last Reach\r\n"
                                                            "Ann Lee,ann@x.test,01/13/2021\r\n"
                                                            "Bo Bell,bo@x.test,13/01/2021\r\n"
                                                            "Cy Cole,cy@x.test,03/04/2021\r\n"))
    notes = " ".join(report.notes)
    assert "written both ways" in notes and "were read as" not in notes
    cy = [c for c in store.contacts() if c["name"] == "Cy Cole"][0]
    assert cy["last_call_reached"] is None and cy["extra"]["Last Reach"] == "03/04/2021"
    assert any(line == 4 and "03/04/2021" in m for line, m in report.warnings)


def test_date_order_evidence_is_found_past_phone_numbers_and_other_dates(tmp_path):
    from store.formats.values import DateEvidence

    # phones (212-555-0101), times and dates that decide nothing come first
    data = (b"Ann,+1 212-555-0101,1.2.2020,3/4/2021,2021-05-06 10:11\n" * 5000
            + b"Bo,212.555.0102,25.12.2020\nCy,x,12/31/2020\n")
    evidence = DateEvidence()
    evidence.feed(data, 1)
    assert (evidence.dmy, evidence.mdy) == ((5001, "25.12.2020"), (5002, "12/31/2020"))
    nothing = DateEvidence()
    nothing.feed(b"Ann,+1 212-555-0101,1.2.2020\n" * 100, 1)
    assert (nothing.dmy, nothing.mdy) == (None, None)
    # a day that exists in neither order (Feb 30, Feb 31) is a typo: it
    # shows no order, and the search goes on to a real one
    typos = DateEvidence()
    typos.feed(b"Ann,02/30/2026,31.02.2026,30-02-2026\nBo,04/13/2026\n", 1)
    assert (typos.dmy, typos.mdy) == (None, (2, "04/13/2026"))
    leap = DateEvidence()
    leap.feed(b"Ann,29/02/2024\n", 1)  # 2024 is a leap year: a real day, month second
    assert (leap.dmy, leap.mdy) == ((1, "29/02/2024"), None)


def test_rows_of_one_file_with_a_name_alone_are_separate_records(tmp_path, store):
    report = import_file(store, write(tmp_path, "same.csv", "Contact,Company\r\n"
                                                            "Lea Miller,Acme\r\nLea Miller,Bolt\r\n"
                                                            "Lea Miller,\r\n"))
    assert (report.added, report.skipped_total) == (3, 0)


def test_a_status2_column_sets_status2_and_a_new_value_joins_the_list_when_its_letter_is_free(
        tmp_path, store):
    store.add_status2("Web")
    report = import_file(store, write(tmp_path, "s2.csv",
                                      "Name,Email,Status 2\r\nAna Ortiz,ana@x.test, web \r\n"
                                      "Ben Brook,ben@x.test,Trade  Show\r\n"
                                      "Cy Cole,cy@x.test,Wholesale\r\n"))
    assert dict(report.columns)["Status 2"] == "status2"
    got = {c["name"]: (c["status2"], c["extra"]) for c in store.contacts()}
    assert got == {"Ana Ortiz": ("Web", {}), "Ben Brook": ("Trade Show", {}),
                   "Cy Cole": (None, {"Status 2": "Wholesale"})}  # W is Web's letter
    assert [v.name for v in store.status2_values()] == ["Web", "Trade Show"]
    assert [line for line, _ in report.warnings] == [4]
    assert "letter W is taken by 'Web'" in report.warnings[0][1]


def test_a_phone_two_contacts_of_that_name_share_is_no_match_so_a_second_import_changes_nothing(
        tmp_path, store):
    path = write(tmp_path, "two.csv", "Contact,E-mail,Phone,Notes\r\n"
                                      "Ann Lee,ann@x.test,,\r\n"
                                      "Ann Lee,,212-555-0101,desk phone\r\n"
                                      "Ann Lee,ann@x.test,212-555-0101,\r\n")
    first = import_file(store, path)
    assert (first.added, first.merged) == (2, 1)  # line 4 joins line 2 by its e-mail
    before = sorted((c["id"], c["notes"], c["phone"]) for c in store.contacts())
    again = import_file(store, path)
    assert (again.added, again.merged) == (0, 0)
    # line 3's number is on both Ann Lees now: either could be meant, so neither is
    # (taking the first by id put "desk phone" on the other Ann Lee)
    [(line, reason)] = again.skipped
    assert line == 3 and "match 2 contacts" in reason
    assert sorted((c["id"], c["notes"], c["phone"]) for c in store.contacts()) == before


def test_excel_cells_holding_zero_or_false_are_kept(tmp_path, store):
    path = make_xlsx(tmp_path / "zero.xlsx", {"Leads": [
        ["Name", "E-mail", "Active", "Visits", "Score", "Title"],
        ["Al Bo", "al@b.test", False, 0, 0.0, 0],
        ["Cy Do", "cy@d.test", True, 3, 2.5, "CEO"],
    ]})
    import_file(store, path)
    got = {c["name"]: (c["extra"], c["title"]) for c in store.contacts()}
    assert got == {"Al Bo": ({"Active": "FALSE", "Visits": "0", "Score": "0"}, "0"),
                   "Cy Do": ({"Active": "TRUE", "Visits": "3", "Score": "2.5"}, "CEO")}


def test_an_address_a_row_adds_to_an_earlier_row_of_the_file_finds_that_contact(tmp_path, store):
    path = write(tmp_path, "three.csv", "Contact,E-mail,Personal E-mail,Notes\r\n"
                                        "Ann Lee,ann@x.test,,\r\n"
                                        "Ann Lee,ann@x.test,ann@home.test,\r\n"
                                        "Ann Lee,ann@home.test,,met at the fair\r\n")
    first = import_file(store, path)
    # line 4's address arrived with line 3, which joined line 2: one Ann Lee
    assert (first.added, first.merged) == (1, 2)
    [ann] = store.contacts()
    assert (ann["notes"], sorted(e["value"] for e in ann["emails"])) == (
        "met at the fair", ["ann@home.test", "ann@x.test"])
    again = import_file(store, path)
    assert (again.added, again.merged, again.unchanged) == (0, 0, 3)


# ------------------------------------------------- hand edits and re-import
def test_reimporting_an_unchanged_file_keeps_what_was_corrected_by_hand(tmp_path, store):
    """The file still holds the values a hand edit replaced: it is older
    than the edit, so the edit stands; a value the file changes still wins."""
    src = write(tmp_path, "src.csv",
                "Contact,Company,Title,E-mail,Phone,Mobile Phone,City\n"
                "Kim Park,Acme,Buyer,kim@acme.test,555-201-0001,555-201-0009,Oslo\n")
    import_file(store, src)
    kim = only(store)
    store.update_contact(kim["id"], {
        "name": "Kim Park-Lee", "title": "Buyer Senior",
        "phones": [{"type": "work", "value": "555-201-0002"}, {"type": "mobile", "value": "555-201-0009"}],
        "emails": [], "extra": {"City": "Bergen"}})
    edited = snapshot(store)
    report = import_file(store, src)
    assert (report.added, report.merged, report.unchanged) == (0, 0, 1)
    assert snapshot(store) == edited
    assert any(n.startswith("5 value(s) changed by hand since an earlier import were kept")
               for n in report.notes)
    c = only(store)
    assert (c["name"], c["title"], c["email"]) == ("Kim Park-Lee", "Buyer Senior", None)
    assert [p["value"] for p in c["phones"]] == ["555-201-0002", "555-201-0009"]
    assert c["extra"]["City"] == "Bergen"
    # the exporter's own data moves on: its new value replaces the hand edit, in history
    newer = write(tmp_path, "newer.csv",
                  "Contact,Company,Title,E-mail,Phone,Mobile Phone,City\n"
                  "Kim Park,Acme,Director,kim@acme.test,555-201-0001,555-201-0009,Oslo\n")
    report = import_file(store, newer)
    assert (report.added, report.merged) == (0, 1)
    c = only(store)
    assert c["title"] == "Director" and c["name"] == "Kim Park-Lee" and c["email"] is None
    assert any("'Buyer Senior' → 'Director'" in (a["note"] or "") for a in store.history(c["id"]))
