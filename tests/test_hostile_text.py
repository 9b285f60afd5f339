"""Hostile contact text: markup, escape sequences, control and invisible
characters, bidi overrides, emoji, wide CJK, huge notes and embedded line
breaks go through import, every screen, search and every CLI output, and are
shown literally; nothing reaches the terminal as a control sequence.

Each corpus entry is (what the file holds, what the user must see), the second
worked out by hand from the rules in store/text.py.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from store import Store
from store.text import clean
from textual.widgets import Static

from tui.app import ContactsScreen, DailyReachApp, HelpScreen, QueueScreen
from tui.card import ContactCard
from tui.widgets import RowList

from conftest import TODAY

SIZE = (120, 36)
LONG_NOTE = "".join(f"{i:04d} note line with [b]markup[/b]\n" for i in range(400))[:10_000]

# (raw value as the file holds it, what must be shown)
CORPUS = [
    ("[bold]Bold[/bold] Bob", "[bold]Bold[/bold] Bob"),
    ("Slash [/] Sam", "Slash [/] Sam"),
    ("[link=https://evil.test]Click[/link] Kim", "[link=https://evil.test]Click[/link] Kim"),
    ("Open [bold Olga", "Open [bold Olga"),
    ("Ed [red", "Ed [red"),
    ("\x1b[31mRed\x1b[0m Rita", "Red Rita"),
    ("Osc\x1b]0;pwned\x07 Oscar", "Osc Oscar"),
    ("Hyper\x1b]8;;http://evil.test\x1b\\link\x1b]8;;\x1b\\ Hal", "Hyperlink Hal"),
    ("Clear\x1b[2J\x1b[HScreen Cleo", "ClearScreen Cleo"),
    ("Bell\x07 Back\x08space Ben", "Bell Backspace Ben"),
    ("Eight\x9b31m Bit Bo", "Eight Bit Bo"),
    ("\u202eRTL Rhea", "RTL Rhea"),
    ("Zero\u200bWidth\u200dJoin\ufeffBom\u2060 Zed", "ZeroWidthJoinBom Zed"),
    ("Tag\U000e0041\U000e0062\U000e007f Tara", "Tag Tara"),
    ("Emoji 😀👍🏽 Emma", "Emoji 😀👍🏽 Emma"),
    ("山田太郎", "山田太郎"),
    ("Line one\nLine two Lin", "Line one Line two Lin"),
    ("Carriage\r\nReturn Cara", "Carriage Return Cara"),
]
# characters that must never reach the terminal or an output (besides \n)
FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                       "\u200b-\u200f\u2060\ufeff\U000e0000-\U000e007f]")
# what Textual itself writes around the text: colours/styles and cursor moves
TEXTUAL_SEQUENCES = re.compile(r"\x1b\[[0-9;]*m|\x1b\[\d+;\d+H")


def project_env(db: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DAILYREACH_")}
    env["DAILYREACH_DB"] = str(db)
    env["DAILYREACH_TODAY"] = TODAY.isoformat()
    return env


def cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True,
                            text=True, env=project_env(db), timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def assert_no_control(text: str, where: str) -> None:
    bad = FORBIDDEN.findall(text)
    assert not bad, f"{where}: {bad!r}"


def write_hostile_csv(path: Path) -> None:
    header = ["Contact", "Company", "Title", "E-mail", "Phone", "ID/Status", "Record Manager",
              "Notes", "City", "Last Results", "Last Reach"]
    rows = [header]
    for i, (raw, _) in enumerate(CORPUS):
        rows.append([raw, raw, raw, f"h{i}@x.test", f"555-01{i:02d}", "Key Client", raw,
                     raw + "\n" + LONG_NOTE if i == 0 else raw, raw, raw, "01/02/2026"])
    # hostile e-mail, phone and status values too
    rows.append(["Val Values", "Acme", "", "val\x1b[31m@x.test", "+1 555\x1b[2J 0199",
                 "[bold]Client\x1b]0;x\x07", "", "", "", "", ""])
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    """Imported once through the CLI; tests that write use a copy."""
    tmp_path = tmp_path_factory.mktemp("hostile")
    path = tmp_path / "hostile.csv"
    write_hostile_csv(path)
    db = tmp_path / "hostile.db"
    result = cli(db, "import", str(path), "--json")
    assert_no_control(result.stdout, "import --json")
    report = json.loads(result.stdout)
    assert (report["added"], report["skipped"]) == (len(CORPUS) + 1, [])
    # the unmatched status is reported literally, escape sequence removed
    assert report["unmapped_statuses"] == {"[bold]Client": 1}
    return db


# ------------------------------------------------------------------ store
def test_store_keeps_exactly_the_visible_text(hostile_db):
    store = Store(hostile_db, today=TODAY)
    by_email = {c["email"]: c for c in store.contacts()}
    for i, (raw, shown) in enumerate(CORPUS):
        c = by_email[f"h{i}@x.test"]
        assert (c["name"], c["company"], c["title"], c["owner"]) == (shown, shown, shown, shown)
        # extra columns keep their line breaks (nothing is dropped); apart
        # from that they hold the same visible text
        assert " ".join(c["extra"]["City"].split()) == " ".join(shown.split())
        assert "\x1b" not in c["extra"]["City"]
    first = by_email["h0@x.test"]
    assert first["notes"] == "[bold]Bold[/bold] Bob\n" + LONG_NOTE.rstrip()
    assert len(first["notes"]) > 10_000
    val = by_email["val@x.test"]
    assert (val["phone"], val["status_key"], val["status_raw"]) == ("+1 555 0199", None, "[bold]Client")
    # the history note keeps line breaks but nothing else
    lines = store.history(by_email[f"h{16}@x.test"]["id"])[0]["note"]
    assert lines == "Line one\nLine two Lin"
    store.close()


@pytest.mark.parametrize("query, expected", [
    ("zerowidthjoinbom", "ZeroWidthJoinBom Zed"),  # invisible characters never split a word
    ("tag tara", "Tag Tara"),
    ("[bold]bold", "[bold]Bold[/bold] Bob"),
    ("[link=", "[link=https://evil.test]Click[/link] Kim"),
    ("open [bold", "Open [bold Olga"),
    ("山田", "山田太郎"),
    ("😀👍🏽", "Emoji 😀👍🏽 Emma"),
    ("red rita", "Red Rita"),
    ("hyperlink", "Hyperlink Hal"),
])
def test_search_finds_the_visible_text(hostile_db, query, expected):
    store = Store(hostile_db, today=TODAY)
    assert [c["name"] for c in store.contacts(search=query)] == [expected]
    assert store.count_contacts(search=query) == 1
    store.close()


def test_clean_removes_zero_width_and_tag_characters():
    assert clean("A\u200bn\u200cn\u200da\u200e \u200fK\u2060i\ufeffm") == "Anna Kim"
    assert clean("flag 🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f") == "flag 🏴"
    assert clean("two\u200b\nlines\U000e0020", multiline=True) == "two\nlines"
    # neighbours of the removed ranges are kept
    assert clean("\u200a\u2010\u205f\u2061\ufefe") == "\u200a\u2010\u205f\u2061\ufefe"


# -------------------------------------------------------------------- CLI
def test_every_cli_output_is_literal_and_free_of_control_characters(hostile_db):
    contacts = json.loads(cli(hostile_db, "contacts", "--json").stdout)
    names = {c["name"] for c in contacts}
    assert {shown for _, shown in CORPUS} <= names
    queue = json.loads(cli(hostile_db, "queue", "--json").stdout)
    # every Key Client with a phone and an e-mail, never reached by phone
    # since 2026-01-02 + 90 days, is due for both: one call and one e-mail each
    assert {i["name"] for i in queue if i["kind"] == "call"} == {s for _, s in CORPUS}
    assert {i["name"] for i in queue if i["kind"] == "email"} == {s for _, s in CORPUS}
    for args in (("contacts", "--json"), ("queue", "--json"), ("statuses", "--json"),
                 ("contacts",), ("queue",), ("statuses",),
                 ("contacts", "--search", "[bold]"), ("contacts", "--status", "-")):
        result = cli(hostile_db, *args)
        assert_no_control(result.stdout, " ".join(args))
        assert_no_control(result.stderr, " ".join(args))
    plain = cli(hostile_db, "contacts").stdout
    assert "[bold]Bold[/bold] Bob" in plain and "山田太郎" in plain


def test_text_import_summary_is_literal(tmp_path):
    path = tmp_path / "h.csv"
    write_hostile_csv(path)
    result = cli(tmp_path / "h.db", "import", str(path))
    assert_no_control(result.stdout, "import")
    assert '"[bold]Client" ×1' in result.stdout


async def test_values_stored_raw_by_another_program_never_reach_the_terminal(tmp_path):
    """A database written by something else (an older version, a script)
    may hold raw escape sequences: every output cleans again on the way out."""
    db = tmp_path / "raw.db"
    store = Store(db, today=TODAY)
    raw = "Raw\x1b]0;pwned\x07\x1b[2J Ray\u202e\u200b"
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO contacts (name, company, email, phone, status_id, created_at, updated_at,"
            " sort_name, search_text) VALUES (?, ?, 'r@x.test', '555', 1, '2020-01-01',"
            " '2020-01-01', 'ray', 'raw ray')", [raw, raw])
        store._refresh(conn, None, history=True)
    store.close()
    for args in (("contacts",), ("queue",)):
        out = cli(db, *args).stdout
        assert_no_control(out, " ".join(args))
        assert "Raw Ray" in out
    for args in (("contacts", "--json"), ("queue", "--json")):
        out = cli(db, *args).stdout
        assert_no_control(out, " ".join(args))
        # JSON is data: the stored value comes back exactly, as \u escapes
        assert {c["name"] for c in json.loads(out)} == {raw}
    store = Store(db, today=TODAY)
    app = DailyReachApp(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        assert "Raw Ray" in assert_frame_safe(app, "queue")
        await pilot.press("f3")
        await pilot.pause()
        assert "Raw Ray" in assert_frame_safe(app, "contacts")
    store.close()


# -------------------------------------------------------------------- TUI
def screen_lines(app) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def assert_frame_safe(app, where: str) -> str:
    """What the terminal would receive for a full repaint of the screen."""
    update = app.screen._compositor.render_full_update()
    out = update.render_segments(app.console)
    leftover = TEXTUAL_SEQUENCES.sub("", out)
    assert "\x1b" not in leftover, f"{where}: {leftover[leftover.index(chr(27)):][:40]!r}"
    assert_no_control(leftover.replace("\n", ""), where)
    assert "\x1b]" not in out  # no OSC: no title change, no hyperlink
    for strip in app.screen._compositor.render_strips():
        assert strip.cell_length == SIZE[0]  # wide characters never push a row out of line
    svg = app.export_screenshot()
    assert "\x1b" not in svg
    return "\n".join(screen_lines(app))


def rows_text(lst: RowList) -> str:
    return "\n".join(lst.render_line(y).text for y in range(lst.size.height))


async def test_every_screen_shows_hostile_text_literally(hostile_db, tmp_path):
    db = tmp_path / "copy.db"
    shutil.copy(hostile_db, db)
    store = Store(db, today=TODAY)
    store.set_owner_name("Max [bold]\x1b[31m")
    app = DailyReachApp(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)
        calls = app.screen.query_one("#calls", RowList)
        names = {calls.row_at(i).name for i in range(calls.row_count)}
        assert names == {shown for _, shown in CORPUS}
        frame = assert_frame_safe(app, "queue")
        assert "[link=https:" in frame and "Slash [/] Sam" in frame
        # step through every call: the card shows each name literally
        for i in range(calls.row_count):
            item = calls.current
            card = app.screen.query_one("#card", ContactCard)
            card_text = "".join(card.lines())
            assert item.name.split()[0] in card_text
            assert_frame_safe(app, f"queue card {item.name!r}")
            await pilot.press("down")
        await pilot.press("tab")  # the e-mail list
        assert_frame_safe(app, "queue e-mails")

        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen)
        lst = app.screen.query_one("#contacts", RowList)
        shown = rows_text(lst)
        for visible in ("[bold]Bold[/bold] Bob", "Slash [/] Sam", "Open [bold Olga", "Ed [red",
                        "Red Rita", "Osc Oscar", "ClearScreen Cleo", "Bell Backspace Ben",
                        "RTL Rhea", "ZeroWidthJoinBom Zed", "Emoji 😀👍🏽 Emma", "山田太郎",
                        "Line one Line two Lin"):
            assert visible[:12] in shown, visible  # the name column cuts long names
        assert_frame_safe(app, "contacts")
        # the contact with the 10,000-character note: its card, scrolled to the end
        await pilot.press("slash", *"bold]bold", "enter")
        await pilot.pause(0.3)
        assert lst.row_count == 1
        card = app.screen.query_one("#card", ContactCard)
        card_text = "\n".join(card.lines())
        assert "0000 note line with [b]markup[/b]" in card_text
        assert len(card.lines()) > 250  # every line of the long note is there
        card.scroll_end(animate=False, immediate=True)  # and drawn when scrolled to
        await pilot.pause()
        drawn = "\n".join(card.render_line(y).text for y in range(card.size.height))
        assert "0000 note line with [b]markup[/b]" in drawn
        assert_frame_safe(app, "contacts card with long note")
        # a status letter on a hostile name: the notice shows it literally
        await pilot.press("p")
        await pilot.pause(0.3)
        assert store.contacts(search="[bold]bold")[0]["status_key"] == "P"
        frame = assert_frame_safe(app, "notice")
        assert "[bold]Bold[/bold] Bob → Prospect" in frame

        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert_frame_safe(app, "help")
        help_body = app.screen.query_one("#help Static", Static)
        help_text = "\n".join(help_body.render_line(y).text for y in range(help_body.size.height))
        assert "m  Max [bold]" in help_text  # the owner's status name, literally
    store.close()


async def test_a_very_long_name_leaves_room_for_what_happened_to_it(tmp_path):
    from store.importer import ImportReport, import_records

    from conftest import make_record

    name = "[bold red]Evil[/] " + "A" * 300
    store = Store(tmp_path / "long.db", today=TODAY)
    import_records(store, [make_record(2, name, status="Key Client", phone="555-0001")],
                   ImportReport(file="t"))
    app = DailyReachApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("v")  # the queue's first call: → Vendor
        await pilot.pause()
        line = str(app.screen.query_one("#notice").render())
        assert "[bold red]Evil[/] AAAA" in line and "…" in line and "→ Vendor" in line
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert "→ Vendor" in str(app.screen.query_one("#notice").render())  # "Undone: …"
    store.close()
