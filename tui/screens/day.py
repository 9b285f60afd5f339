"""The day: progress against the day's share, what is left, a summary of
what happened, and the next working day's load."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, ProgressBar, Static

from store import Store
from store.plan import CALL_OUTCOMES, EMAIL_OUTCOMES, OUTCOME_LABELS

from ..safe import safe


def day_text(summary: dict, names_left: dict[str, list[str]]) -> Text:
    """The day in words, from :meth:`Store.day_summary`."""
    out = Text()
    day = date.fromisoformat(summary["date"])
    if not summary["working_day"]:
        out.append(f"{day:%A} is not one of your working days.\n\n", style="yellow")
    for kind, label in (("call", "Calls"), ("email", "E-mails")):
        k = summary[kind]
        target = k["done"] + k["left"]
        out.append(f"{label}: {k['done']} done of {target} for today", style="bold")
        out.append(f" ({k['left']} left")
        if k["deferred"]:
            out.append(f"; {k['deferred']} more due, deferred to later days by your capacity of "
                       f"{k['cap']} a day")
        out.append(")\n")
        if names_left[kind]:
            out.append("  Next: ", style="dim")
            for i, name in enumerate(names_left[kind]):
                if i:
                    out.append(", ")
                out.append_text(safe(name))
            if k["left"] > len(names_left[kind]):
                out.append(f" … and {k['left'] - len(names_left[kind])} more", style="dim")
            out.append("\n")
    out.append("\nSo far today\n", style="bold")
    worked = summary["worked"]
    for kind, outcomes, label in (("call", CALL_OUTCOMES, "Calls"), ("email", EMAIL_OUTCOMES, "E-mails")):
        counts = worked[kind]
        parts = [f"{counts[o]} {OUTCOME_LABELS[o]}" for o in outcomes if counts.get(o)]
        other = sum(n for o, n in counts.items() if o not in outcomes)
        if other:
            parts.append(f"{other} other")
        out.append(f"  {label}: ")
        out.append(", ".join(parts) if parts else "none yet", style="" if parts else "dim")
        out.append("\n")
    out.append(f"  Snoozed: {summary['snoozed']} · skipped for today: {summary['skipped']} · "
               f"status changes: {summary['status_changes']}\n")
    nxt = summary["next_day"]
    when = date.fromisoformat(nxt["date"])
    out.append(f"\nNext working day, {when:%A %-d %B}\n", style="bold")
    for kind, label in (("call", "calls"), ("email", "e-mails")):
        n = nxt[kind]
        out.append(f"  {n['planned']} {label}")
        if n["due"] > n["planned"]:
            out.append(f" (of {n['due']} due; {n['due'] - n['planned']} carried further)",
                       style="yellow")
        out.append("\n")
    out.append("  (assuming today's share is done; the plan's cadences decide the rest)\n",
               style="dim")
    done = summary["call"]["done"] + summary["email"]["done"]
    left = summary["call"]["left"] + summary["email"]["left"]
    if left == 0 and done:
        out.append("\nDone for the day: every item planned for today is handled.\n",
                   style="bold green")
    return out


class DayScreen(Screen):
    """F9: progress bars and the day in words."""

    BINDINGS = [("escape", "back", "Back")]

    @property
    def store(self) -> Store:
        return self.app.store

    def compose(self) -> ComposeResult:
        yield Static(id="topbar")
        with VerticalScroll(id="day"):
            yield Static(" Calls", classes="pane-title")
            yield ProgressBar(id="calls-progress", show_eta=False)
            yield Static(" E-mails", classes="pane-title")
            yield ProgressBar(id="emails-progress", show_eta=False)
            yield Static(id="day-text")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        summary = self.store.day_summary()
        self.summary = summary
        names: dict[str, list[str]] = {}
        for kind, bar_id in (("call", "#calls-progress"), ("email", "#emails-progress")):
            k = summary[kind]
            self.query_one(bar_id, ProgressBar).update(total=max(k["done"] + k["left"], 1),
                                                       progress=k["done"])
            items = self.store.queue_page(kind=kind, limit=min(k["left"], 5))
            names[kind] = [i.name for i in items]
        day = self.store.today()
        self.query_one("#topbar", Static).update(Text.assemble(
            (" dailyreach ", "bold reverse"), "  ", (f"The day: {day:%A %-d %B %Y}", "bold")))
        self.query_one("#day-text", Static).update(day_text(summary, names))

    def action_back(self) -> None:
        self.app.action_show_queue()
