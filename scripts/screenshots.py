"""Regenerate screenshots/*.svg from the real app on demo data.

Run: uv run python scripts/screenshots.py

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


async def shoot() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "demo.db", today=TODAY)
        build_demo(store)
        store.set_setting("calls_per_day", "12")
        app = DailyReachApp(store)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("down", "down")
            await pilot.pause()
            app.save_screenshot("queue.svg", path=str(OUT))
            await pilot.press("f3")
            await pilot.pause()
            await pilot.press("down", "down", "down")
            await pilot.pause()
            app.save_screenshot("contacts.svg", path=str(OUT))
            await pilot.press("question_mark")
            await pilot.pause()
            app.save_screenshot("help.svg", path=str(OUT))
            await pilot.press("f8")
            await pilot.pause()
            app.save_screenshot("plan.svg", path=str(OUT))
            await pilot.press("f2", "enter", "2", "f9")
            await pilot.pause()
            app.save_screenshot("day.svg", path=str(OUT))
            await pilot.press("f2", "tab", "ctrl+e")
            await pilot.pause()
            app.save_screenshot("compose.svg", path=str(OUT))
            await pilot.press("escape", "f4", "f4")
            await pilot.pause()
            app.save_screenshot("breakdown.svg", path=str(OUT))
            await pilot.press("f6")
            await pilot.pause()
            app.save_screenshot("cleanup.svg", path=str(OUT))
            await pilot.press("f7")
            await pilot.pause()
            app.save_screenshot("triage.svg", path=str(OUT))
        store.close()
    for name in ("queue.svg", "contacts.svg", "help.svg", "plan.svg", "day.svg", "compose.svg",
                 "breakdown.svg", "cleanup.svg", "triage.svg"):
        print(OUT / name)


if __name__ == "__main__":
    asyncio.run(shoot())
