"""Regenerate screenshots/*.svg from the real app on demo data.

Run: uv run python scripts/screenshots.py [NAME...]   (e.g. import; default: all)

"Today" is pinned and the demo generator is seeded, so the images only change
when what the app shows changes.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from store import Store  # noqa: E402
from store.demo import build_demo  # noqa: E402
from tui.app import DailyReachApp  # noqa: E402

TODAY = date(2026, 12, 3)
SIZE = (120, 36)
OUT = ROOT / "screenshots"


SAMPLE = (
    "Company,Contact,E-mail,Phone,ID/Status,Last Reach,Create Date,City\r\n"
    "Harbor & Pine LLC,Renée Dubois,renee@harborpine.example,(415) 555-0142,Key Client,10/14/2026,3/2/2019,Oakland\r\n"
    "Kettle Creek Farms,Tariq Haddad,tariq@kettle.example,512-555-0199,Prosp.,4/30/2026,5/18/2021,Austin\r\n"
    "Summit Dental,Greta Lindqvist,greta@summit.example,+1 303 555 0107,prospect,,1/9/2024,Denver\r\n"
    "Lantern Software,Hiro Tanaka,hiro@lantern.example,617.555.0123,Trade Show,,8/22/2025,Boston\r\n"
    "Orchid Clinic,Inès Moreau,ines@orchid.example,(702) 555-0188,Prosp.,11/2/2026,2/27/2020,Las Vegas\r\n"
    "Redwood Print Co.,Søren Björk,soren@redwood.example,919-555-0164,,,6/30/2022,Raleigh\r\n"
)


async def shoot(names: set[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "demo.db", today=TODAY)
        build_demo(store)
        store.set_setting("calls_per_day", "12")
        sample = Path(tmp) / "act-export.csv"
        sample.write_text(SAMPLE, encoding="cp1252", newline="")
        app = DailyReachApp(store)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("down", "down")
            await pilot.pause()
            if "queue" in names:
                app.save_screenshot("queue.svg", path=str(OUT))
            await pilot.press("f3")
            await pilot.pause()
            await pilot.press("down", "down", "down")
            await pilot.pause()
            if "contacts" in names:
                app.save_screenshot("contacts.svg", path=str(OUT))
            await pilot.press("question_mark")
            await pilot.pause()
            if "help" in names:
                app.save_screenshot("help.svg", path=str(OUT))
            await pilot.press("f8")
            await pilot.pause()
            if "plan" in names:
                app.save_screenshot("plan.svg", path=str(OUT))
            await pilot.press("f2", "enter", "2", "f9")
            await pilot.pause()
            if "day" in names:
                app.save_screenshot("day.svg", path=str(OUT))
            await pilot.press("f2", "tab", "ctrl+e")
            await pilot.pause()
            if "compose" in names:
                app.save_screenshot("compose.svg", path=str(OUT))
            await pilot.press("escape", "f4", "f4")
            await pilot.pause()
            if "breakdown" in names:
                app.save_screenshot("breakdown.svg", path=str(OUT))
            await pilot.press("f6")
            await pilot.pause()
            if "cleanup" in names:
                app.save_screenshot("cleanup.svg", path=str(OUT))
            await pilot.press("f7")
            await pilot.pause()
            if "triage" in names:
                app.save_screenshot("triage.svg", path=str(OUT))
            await pilot.press("escape", "ctrl+o")
            await pilot.pause()
            screen = app.screen
            await pilot.press(*str(sample), "enter")
            for _ in range(100):
                await pilot.pause(0.05)
                if screen.preview is not None:
                    break
            # focus stays in the path box: Tab to the status values, then
            # classify "Prosp." as Prospect (the cursor goes on to the next)
            await pilot.press("tab", "p")
            await pilot.pause()
            if "import" in names:
                app.save_screenshot("import.svg", path=str(OUT))
        store.close()
    for name in sorted(names):
        print(OUT / f"{name}.svg")


if __name__ == "__main__":
    wanted = set(sys.argv[1:]) or {"queue", "contacts", "help", "plan", "day", "compose",
                                   "breakdown", "cleanup", "triage", "import"}
    asyncio.run(shoot(wanted))
