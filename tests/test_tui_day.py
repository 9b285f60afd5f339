"""Outcomes, snooze, capacity, the plan editor, the day and personal e-mail,
driven through the TUI as a user would (TODAY is Thursday 2026-12-03)."""

from __future__ import annotations

import stat
from datetime import date

from textual.widgets import Static

from store.importer import ImportReport, import_records
from tui.app import ComposeScreen, DailyReachApp, DayScreen, PlanScreen, QueueScreen
from tui.widgets import RowList

from conftest import contact_id, make_record

SIZE = (120, 36)


def names(lst: RowList) -> list[str]:
    return [lst.row_at(i).name for i in range(lst.row_count)]


def visible_text(lst: RowList) -> str:
    return "\n".join(lst.render_line(y).text for y in range(lst.size.height))


async def test_digit_records_an_attempt_and_undo_removes_it(small_store):
    app = DailyReachApp(small_store)
    kim = contact_id(small_store, "Kim Key")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        calls = app.screen.query_one("#calls", RowList)
        await pilot.press("2")  # no answer
        await pilot.pause()
        latest = small_store.history(kim)[0]
        assert (latest["kind"], latest["outcome"]) == ("call", "no-answer")
        c = small_store.contact(kim)
        assert (c["next_call_due"], c["call_hold_until"], c["call_attempts"]) == (
            "2026-10-30", "2026-12-05", 1)
        assert names(calls) == ["Pat Prospect"]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert names(calls) == ["Kim Key", "Pat Prospect"]
        assert small_store.contact(kim)["call_attempts"] == 0
        await pilot.press("down", "3")  # Pat: wrong number
        await pilot.pause()
        assert small_store.history(contact_id(small_store, "Pat Prospect"))[0]["outcome"] == "wrong-number"


async def test_email_digits_one_is_bounced_others_refused(small_store):
    app = DailyReachApp(small_store)
    sam = contact_id(small_store, "Sam Second")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("tab", "2")  # no "no answer" for e-mails
        await pilot.pause()
        assert small_store.history(sam)[0]["kind"] == "call"  # nothing logged
        await pilot.press("1")
        await pilot.pause()
        assert (small_store.history(sam)[0]["kind"], small_store.history(sam)[0]["outcome"]) == (
            "email", "bounced")
        assert small_store.contact(sam)["next_email_due"] == "2020-01-01"


async def test_outcome_with_a_note(small_store):
    app = DailyReachApp(small_store)
    kim = contact_id(small_store, "Kim Key")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("semicolon", "1", *"back Tuesday", "enter")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)
        latest = small_store.history(kim)[0]
        assert (latest["outcome"], latest["note"]) == ("message", "back Tuesday")
        # Enter as the outcome: reached, with a note
        await pilot.press("semicolon", "enter", *"renewal in March", "enter")
        await pilot.pause()
        pat = contact_id(small_store, "Pat Prospect")
        latest = small_store.history(pat)[0]
        assert (latest["outcome"], latest["note"]) == ("reached", "renewal in March")
        # Esc cancels without logging
        before = len(small_store.history(kim))
        await pilot.press("home", "semicolon", "2", *"x", "escape")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)
        assert len(small_store.history(kim)) == before


async def test_snooze_days_or_date_and_bad_values_are_refused(small_store):
    app = DailyReachApp(small_store)
    kim = contact_id(small_store, "Kim Key")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("greater_than_sign", *"999", "enter")
        await pilot.pause()
        assert "use 1 to 365" in str(app.screen.query_one("#snooze-error").render())
        await pilot.press(*["backspace"] * 3, *"2026-12-01", "enter")
        await pilot.pause()
        assert "in the past" in str(app.screen.query_one("#snooze-error").render())
        # what was typed is kept as typed and refused, never silently trimmed to a number
        for typed, said in (("1.5", "'1.5' is neither"), ("12/24/2026", "'12/24/2026' is neither"),
                            ("", "type a number of days")):
            await pilot.press(*["backspace"] * 12, *typed, "enter")
            await pilot.pause()
            assert app.screen.query_one("#snooze-input").value == typed
            assert said in str(app.screen.query_one("#snooze-error").render())
        assert small_store.contact(kim)["call_hold_until"] is None
        await pilot.press(*["backspace"] * 10, "7", "enter")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)
        assert small_store.contact(kim)["call_snoozed_until"] == "2026-12-10"  # Dec 3 + 7
        assert small_store.contact(kim)["email_snoozed_until"] is None  # only the call
        await pilot.press("greater_than_sign", *"2026-12-24", "enter")  # Pat, to a date
        await pilot.pause()
        assert small_store.contact(contact_id(small_store, "Pat Prospect"))["call_snoozed_until"] == "2026-12-24"
        assert app.screen.query_one("#calls", RowList).row_count == 0


async def test_skip_for_today(small_store):
    app = DailyReachApp(small_store)
    kim = contact_id(small_store, "Kim Key")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("minus")
        await pilot.pause()
        assert small_store.contact(kim)["call_hold_until"] == "2026-12-04"
        assert names(app.screen.query_one("#calls", RowList)) == ["Pat Prospect"]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert names(app.screen.query_one("#calls", RowList)) == ["Kim Key", "Pat Prospect"]


async def test_queue_shows_what_capacity_deferred(small_store):
    small_store.set_setting("calls_per_day", "1")
    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        calls = app.screen.query_one("#calls", RowList)
        assert names(calls) == ["Kim Key", "Pat Prospect"]
        assert "1 for today, 1 deferred" in str(app.screen.query_one("#calls-title").render())
        text = visible_text(calls)
        assert "→ Fri 4 Dec" in text.splitlines()[1] and "→" not in text.splitlines()[0]
        assert "1 left (+1 deferred)" in str(app.screen.query_one("#topbar").render())
        await pilot.press("enter")  # Kim reached: the day's one call is done
        await pilot.pause()
        assert "0 for today, 1 deferred" in str(app.screen.query_one("#calls-title").render())
        assert "calls 1 done, 0 left" in str(app.screen.query_one("#topbar").render())


async def test_plan_editor_changes_a_cadence_and_the_queue_follows(small_store):
    app = DailyReachApp(small_store)
    pat = contact_id(small_store, "Pat Prospect")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        await pilot.press("down", "down", "down", "down", "enter")  # Prospect
        await pilot.pause()
        await pilot.press(*["backspace"] * 3, *"abc", "enter", "enter", "enter")
        await pilot.pause()
        assert "'abc' is not a number of days" in str(app.screen.query_one("#editor-error").render())
        assert small_store.status_by_key("P").call_days == 182
        await pilot.press("shift+tab", "shift+tab", *["backspace"] * 3, *"300", "enter", "enter",
                          "enter")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        assert small_store.status_by_key("P").call_days == 300
        assert small_store.contact(pat)["next_call_due"] == "2027-02-25"  # May 1 + 300
        await pilot.press("f2")
        await pilot.pause()
        assert names(app.screen.query_one("#calls", RowList)) == ["Kim Key"]


async def test_plan_screen_shows_load_and_capacity_editing(small_store):
    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("tab", "enter", "ctrl+u", *"ten", "enter")  # calls per day
        await pilot.pause()
        assert "not a whole number" in str(app.screen.query_one("#editor-error").render())
        await pilot.press("ctrl+u", "enter")  # empty: no limit is fine
        await pilot.pause()
        await pilot.press("enter", "ctrl+u", "0", "enter")
        await pilot.pause()
        assert "too small" in str(app.screen.query_one("#editor-error").render())
        await pilot.press("escape")
        await pilot.pause()
        # 2 calls due this week, then Kim again in week 13: a limit of ... well below
        small_store.set_setting("calls_per_day", "1")
        small_store.set_plan("p", call_days="1")
        app.screen.reload()
        load = str(app.screen.query_one("#load").render())
        # calls per working day: 7/5 × (1/90 + 1/180 + 1/1) = 1.423 → 1.4 over a limit of 1
        assert "Over capacity: 1.4 calls a day needed, 1 allowed" in load
        chart = str(app.screen.query_one("#chart").render())
        assert "3 Dec" in chart and "25 Feb" in chart
        # a limit on calls: the legend names the capacity mark (5 working days × 1)
        assert "Weekly capacity (│; a bar past it in red): calls 5, e-mails no limit." in chart
        small_store.set_setting("calls_per_day", "")
        app.screen.reload()
        chart = str(app.screen.query_one("#chart").render())
        assert "Weekly capacity: calls no limit, e-mails no limit." in chart  # no mark to name


async def test_day_screen(small_store):
    small_store.set_setting("calls_per_day", "5")
    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter", "2")  # Kim reached, Pat no answer
        await pilot.pause()
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, DayScreen)
        text = str(app.screen.query_one("#day-text").render())
        assert "Calls: 2 done of 2 for today" in text
        assert "1 reached, 1 no answer" in text
        assert "Next working day, Friday 4 December" in text
        assert "Done for the day" not in text  # Sam's e-mail is still left
        await pilot.press("f2", "tab", "enter", "f9")
        await pilot.pause()
        assert "Done for the day" in str(app.screen.query_one("#day-text").render())


DEFAULT_BODY_SAM = (
    "Hi Sam,\n\nYou came to mind today, so a short question: is there one thing on your desk "
    "at the moment where an extra pair of hands or a second opinion would help? A one-line "
    "reply is plenty, and if it's something I can help with, I will.\n\nAll the best,\nRobin\n")


async def test_compose_copy_and_mark_sent(small_store):
    small_store.set_owner_name("Robin")
    app = DailyReachApp(small_store)
    sam = contact_id(small_store, "Sam Second")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("tab", "ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, ComposeScreen)
        assert app.screen.subject == "A quick question, Sam"
        assert app.screen.body == DEFAULT_BODY_SAM
        await pilot.press("end", *" Thanks!")  # edit the first line
        await pilot.press("ctrl+k")
        await pilot.pause()
        expected = ("To: sam@cogs.test\nSubject: A quick question, Sam\n\n"
                    + DEFAULT_BODY_SAM.replace("Hi Sam,", "Hi Sam, Thanks!", 1))
        assert app.clipboard == expected
        draft = small_store.path.parent / "drafts" / "small" / f"email-{sam}.txt"  # small.db
        assert draft.read_text() == expected
        assert stat.S_IMODE(draft.stat().st_mode) == 0o600
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)
        latest = small_store.history(sam)[0]
        assert (latest["kind"], latest["outcome"], latest["note"]) == (
            "email", "sent", "A quick question, Sam")
        assert small_store.contact(sam)["next_email_due"] == "2027-03-03"  # Dec 3 + 90
        assert app.screen.query_one("#emails", RowList).row_count == 0


async def test_leaving_an_email_written_in_asks_first(small_store):
    from tui.screens.confirm import ConfirmScreen

    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("tab", "ctrl+e")
        await pilot.pause()
        await pilot.press("escape")  # nothing written: back at once
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)
        await pilot.press("ctrl+e")
        await pilot.pause()
        await pilot.press("end", *" See you Tuesday.")
        written = app.screen.body
        for leave in ("escape", "f3"):
            await pilot.press(leave)
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            assert "What you wrote in it is lost" in str(app.screen.query_one(Static).render())
            await pilot.press("escape")  # no: back to the e-mail, text kept
            await pilot.pause()
            assert isinstance(app.screen, ComposeScreen) and app.screen.body == written
        # a new template leaves this e-mail as written, and says so
        await pilot.press("ctrl+t")
        await pilot.pause()
        app.screen.query_one("#template-subject").value = "Hello {first_name}"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ComposeScreen) and app.screen.body == written
        assert app.screen.subject == "A quick question, Sam"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")  # yes: leave, nothing recorded
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)
        assert small_store.history(contact_id(small_store, "Sam Second"))[0]["kind"] != "email"


async def test_an_email_with_an_empty_subject_or_body_is_not_copied_opened_or_marked_sent(
        small_store):
    app = DailyReachApp(small_store)
    sam = contact_id(small_store, "Sam Second")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("tab", "ctrl+e")
        await pilot.pause()
        app.screen.query_one("#compose-subject").value = "  "
        for key in ("ctrl+k", "ctrl+o", "ctrl+s"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, ComposeScreen)
        said = [n.message for n in app._notifications]
        assert said.count("The e-mail's subject is empty: write it first.") == 3
        assert app.clipboard != app.screen.message()
        assert small_store.history(sam)[0]["kind"] != "email"  # nothing recorded
        app.screen.query_one("#compose-body").text = ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "The e-mail's subject and body are empty: write it first." in [
            n.message for n in app._notifications]


async def test_mail_client_and_its_fallback(small_store, monkeypatch):
    import tui.screens.compose as compose

    opened = []
    monkeypatch.setattr(compose, "open_mail_client", lambda url: opened.append(url) or True)
    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("tab", "ctrl+e")
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert opened == ["mailto:sam@cogs.test?subject=A%20quick%20question%2C%20Sam&body="
                          + opened[0].split("&body=")[1]]
        assert "%0D%0A%0DYou%20came" not in opened[0] and "Hi%20Sam%2C%0D%0A%0D%0AYou" in opened[0]
        monkeypatch.setattr(compose, "open_mail_client", lambda url: False)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert app.clipboard.startswith("To: sam@cogs.test\nSubject: A quick question, Sam")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)
    assert small_store.history(contact_id(small_store, "Sam Second"))[0]["kind"] == "call"


async def test_template_edit_fills_the_next_email(small_store):
    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("tab", "ctrl+e", "ctrl+t")
        await pilot.pause()
        subject = app.screen.query_one("#template-subject")
        subject.value = "Hello {firstname}"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "{firstname}" in str(app.screen.query_one("#template-error").render())
        assert small_store.settings()["email_subject"] == "A quick question, {first_name}"
        subject.value = "Hello {first_name} at {company}"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ComposeScreen)
        assert app.screen.subject == "Hello Sam at Cogs"


async def test_copy_on_the_call_list_gives_a_dialable_number(tmp_path):
    from store import Store

    from conftest import TODAY

    store = Store(tmp_path / "dial.db", today=TODAY)
    import_records(store, [make_record(2, "Dee Dial", status="Key Client",
                                       phone="(212) 555-0187", created=date(2026, 1, 1))],
                   ImportReport(file="t"))
    store.set_setting("phone_region", "us")
    app = DailyReachApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert app.clipboard == "+12125550187"
    store.close()


async def test_plan_home_and_end_go_to_the_first_and_last_row(small_store):
    from tui.screens.plan import RuleEditor, SettingEditor

    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("end", "enter")  # the last status in the list: Delete
        await pilot.pause()
        assert isinstance(app.screen, RuleEditor) and app.screen.key == "D"
        await pilot.press("escape", "home", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RuleEditor) and app.screen.key == "K"
        await pilot.press("escape", "tab", "end", "enter")  # capacity: the last setting
        await pilot.pause()
        assert isinstance(app.screen, SettingEditor) and app.screen.key == "retry_days"
        await pilot.press("escape", "home", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SettingEditor) and app.screen.key == "calls_per_day"


def screen_lines(app) -> list[str]:
    """The screen's rows as the terminal shows them."""
    return [strip.text.rstrip() for strip in app.screen._compositor.render_strips()]


def line_with(lines: list[str], text: str) -> str:
    [line] = [ln for ln in lines if text in ln]
    return line


async def test_plan_reads_at_80_by_24(small_store):
    small_store.set_setting("calls_per_day", "7")
    app = DailyReachApp(small_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f8")
        await pilot.pause()
        lines = screen_lines(app)
        # every rule is a whole row: Key Client (Kim: phone and e-mail) needs
        # 7/5 × 1/90 = 0.0156 calls and 7/5 × 1/30 = 0.0467 e-mails a day
        assert line_with(lines, " k  Key Client").split()[-2:] == ["0.02", "0.05"]
        # the focused status's meaning in full, under the rules
        meaning = small_store.status_by_key("K").meaning
        assert line_with(lines, " Key Client: ").startswith(f" Key Client: {meaning}")
        # the capacity values are on screen beside their labels
        assert line_with(lines, "Calls per day").split()[-1] == "7"
        assert line_with(lines, "E-mails per day").split()[-2:] == ["no", "limit"]
        assert line_with(lines, "Working days").split()[-1] == "mon-fri"
        assert line_with(lines, "Retry after (days)").split()[-1] == "2"
        # the summary is read across the width, not a word a line:
        # calls 7/5 × (1/90 + 1/182 + 1/180) = 0.031, e-mails 7/5 × (1/30 + 1/90) = 0.062
        assert "This plan needs 0.0 calls and 0.1 e-mails per working day" in "\n".join(lines)
        assert all(len(line) <= 80 for line in lines)
        # Tab twice reaches the forecast below, which scrolls into view
        await pilot.press("tab", "tab")
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        assert "Next 13 weeks" in text and "3 Dec" in text


async def test_plan_meaning_is_cut_at_a_word_at_120_and_the_chart_widens_at_200(small_store):
    meaning = small_store.status_by_key("S").meaning
    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f8")
        await pilot.pause()
        row = line_with(screen_lines(app), " s  Secondary Client").rstrip()
        assert row.endswith("…")
        shown = row[row.index(meaning.split()[0]):-1]
        assert meaning.startswith(shown) and len(shown) < len(meaning)
        assert meaning[len(shown)] == " "  # cut between words, not inside one
    app = DailyReachApp(small_store)
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.press("f8")
        await pilot.pause()
        lines = screen_lines(app)
        assert f" {meaning}" in line_with(lines, " s  Secondary Client")  # all of it fits
        week = line_with(lines, "3 Dec ")
        # capacity keeps a readable width; the chart has the rest (the
        # busiest week's bars run well past the 16 cells they used to have)
        assert week.index("│") < 70
        assert max(len(run) for run in week.split()) > 40


async def test_plan_capacity_messages_use_the_screens_labels(small_store):
    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f8")
        await pilot.pause()

        async def refused(*keys) -> str:
            await pilot.press("enter", "ctrl+u", *keys, "enter")
            await pilot.pause()
            message = str(app.screen.query_one("#editor-error").render())
            await pilot.press("escape")
            await pilot.pause()
            return message

        await pilot.press("tab")  # Calls per day
        assert await refused("-", "3") == ("Calls per day: '-3' is not a whole number of items "
                                           "a day; leave it empty for no limit")
        await pilot.press("down", "down")
        assert (await refused(*"xyz")).startswith("Working days: 'xyz' in 'xyz' is not a day")
        await pilot.press("down")
        assert await refused("0") == "Retry after (days): 0 is too small; use 1 to 365"
    assert small_store.settings()["calls_per_day"] == ""
    assert small_store.settings()["retry_days"] == "2"


async def test_plan_refuses_digits_other_than_0_to_9(small_store):
    """int() reads Arabic-Indic ٣ and full-width ３ as 3; the plan must not."""
    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("down", "down", "down", "down", "enter")  # Prospect
        await pilot.pause()
        await pilot.press(*["backspace"] * 3, "٣", "enter", "enter", "enter")
        await pilot.pause()
        assert str(app.screen.query_one("#editor-error").render()) == (
            "Prospect: call every: '٣' is not a number of days (a whole number, or empty for never)")
        await pilot.press("escape", "tab", "enter", "ctrl+u", "３", "enter")  # calls per day
        await pilot.pause()
        assert "'３' is not a whole number" in str(app.screen.query_one("#editor-error").render())
        await pilot.press("escape")
        await pilot.pause()
    assert small_store.status_by_key("P").call_days == 182
    assert small_store.settings()["calls_per_day"] == ""


async def test_plan_tables_follow_a_remapped_list_key(small_store, keymap):
    from tui.screens.plan import RuleEditor

    keymap('{"list.last": "f10", "list.down": "ctrl+j"}')
    app = DailyReachApp(small_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("f10", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RuleEditor) and app.screen.key == "D"
        await pilot.press("escape", "home", "ctrl+j", "down", "enter")  # down is no longer a move
        await pilot.pause()
        assert isinstance(app.screen, RuleEditor) and app.screen.key == "S"


async def test_queue_top_line_and_help_fit_80_by_24(small_store):
    from tui.app import HelpScreen

    app = DailyReachApp(small_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        top = screen_lines(app)[0]
        # the date is shortened so that the e-mail figures stay on the line
        assert top.rstrip() == (" dailyreach   Thu 3 Dec   calls 0 done, 2 left   "
                                "e-mails 0 done, 1 left")
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        box = app.screen.query_one("#help")
        assert box.region.right <= 80
        text = app.screen.query_one("#help-text").render()
        lines = str(text).splitlines()
        # no description is cut: a long one goes on on the next line
        assert not any(line.rstrip().endswith("…") for line in lines)
        assert max(len(line.rstrip()) for line in lines) <= box.content_region.width
        joined = " ".join(" ".join(line.split()) for line in lines)
        assert "Ctrl+Z undo the last change (repeatable)" in joined
    app = DailyReachApp(small_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert screen_lines(app)[0].startswith(" dailyreach   Thursday 3 December 2026   calls")
