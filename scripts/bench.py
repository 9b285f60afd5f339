"""Benchmarks: dailyreach on 10k, 100k and 1M contacts, next to its targets.

Run:  uv run python scripts/bench.py                      # 10k, 100k and 1M (minutes)
      uv run python scripts/bench.py --sizes 10000,100000  # quicker

For each size it prints:

first frame   seconds from starting ``python -m tui --db DB`` to the first
              frame of the queue screen, next to a minimal Textual app (one
              Static) measured the same way, interleaved, in the same run.
              Each program runs in a pseudo-terminal (120x36, TERM=
              xterm-256color) and the clock stops when the bytes it writes
              to the terminal contain a text only that frame shows ("Calls
              due (" for the app).  Median of --repeat runs after one warm-up
              run each; bytecode is cached (PYTHONPYCACHEPREFIX in the data
              directory) as it is for an installed app, even when the shell
              sets PYTHONDONTWRITEBYTECODE.  Target: at most 1.5x the
              minimal app.
peak memory   the app process's peak resident set (VmHWM in /proc) after
              its first frame, a switch to the contacts screen and a search
              typed there.  Target: 300 MB with 1M contacts.
queue         what the queue screen reads: Store.queue_counts and the first
              page (Store.queue_page, 100 rows) for calls and for e-mails.
              Target: 100 ms at 1M.  Also the whole Store.queue() (every due
              item as an object, what ``dailyreach queue`` prints).
search        what the contacts screen asks for a search:
              Store.count_contacts(search=..., at_most=10,001) (the list
              holds the first 10,000 matches) plus the first page of
              Store.contacts(search=..., limit=100), for several queries;
              the worst query of 3+ characters is held to the target (50 ms
              at 1M).  Queries made only of 1-2 character words cannot use
              the trigram index and are shown apart: a frequent one ("ma")
              and one found nowhere ("qz", which reads every contact).
keystroke     one status letter on the queue screen and on the contacts
              screen, through Textual's Pilot (notices on, as in the real
              app) on a copy of the database: the handler (key -> saved ->
              lists and counts reloaded), the card refresh it triggers and
              Textual's repaints (layout and compositor, which draw the
              visible rows and the notice line) up to the last frame that
              drew something, summed.  Target: 16 ms.  "key to repainted" is
              the wall time to that frame: it adds the waits for Textual's
              frame ticks (at most 60 a second), which no handler removes.
import        rows per second of ``store.import_file`` on an Act! CSV of
              min(size, --import-max) contacts into an empty database, next
              to a plain csv.reader + sqlite3.executemany of the same file
              into a bare table in one transaction.

Databases are generated once per size into --data (default a directory under
the system temp dir) and reused; see scripts/benchdata.py for how (it writes
straight into the schema with executemany, bypassing the importer for speed).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import fcntl
import os
import pty
import select
import shutil
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from benchdata import TODAY, generate_db, write_act_csv  # noqa: E402
from store import SEARCH_COUNT_CAP, Store  # noqa: E402
from store.schema import STEP_NAMES  # noqa: E402

SIZE = (120, 36)
TARGETS = {"first_frame_ratio": 1.5, "queue_ms": 100, "search_ms": 50, "key_ms": 16, "rss_mb": 300}
SEARCHES = ["anna", "berdel", "gustav castor", "555", "0101", "kel.ros", "example.org"]
SHORT_SEARCH = "ma"
RARE_SHORT_SEARCH = "qz"  # a short word found nowhere: every contact is read

MINIMAL_APP = textwrap.dedent("""
    from textual.app import App
    from textual.widgets import Static

    class Minimal(App):
        def compose(self):
            yield Static("minimal-first-frame")

    Minimal().run()
""")


# ------------------------------------------------------------------ data
def database(data: Path, n: int, regenerate: bool) -> tuple[Path, float | None]:
    """The cached database for ``n`` contacts (rebuilt when the schema changed)."""
    path = data / f"contacts-{n}.db"
    marker = data / f"contacts-{n}.schema"
    if not regenerate and path.exists() and marker.exists() \
            and marker.read_text() == ",".join(STEP_NAMES):
        return path, None
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    start = time.perf_counter()
    generate_db(path, n)
    marker.write_text(",".join(STEP_NAMES))
    return path, time.perf_counter() - start


# ------------------------------------------------------- pseudo-terminal runs
def _env(data: Path) -> dict:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(data / "pycache")
    env["TERM"] = "xterm-256color"
    env.pop("DAILYREACH_TODAY", None)
    return env


class PtyRun:
    """A program started in a fresh pseudo-terminal; reads what it draws."""

    def __init__(self, argv: list[str], env: dict):
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
        self.start = time.perf_counter()
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                                     cwd=ROOT, start_new_session=True)
        os.close(slave)
        self.output = b""

    def wait_for(self, marker: bytes, timeout: float = 120) -> float:
        """Seconds from process start until ``marker`` has been written."""
        seen = len(self.output)
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(self.master, 1 << 16)
                except OSError:
                    break
                self.output += chunk
                if marker in self.output[max(seen - len(marker), 0):]:
                    return time.perf_counter() - self.start
            elif self.proc.poll() is not None:
                break
        tail = self.output[-400:].decode(errors="replace")
        raise RuntimeError(f"{marker!r} never appeared (exit {self.proc.poll()}); last output: {tail!r}")

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def peak_rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def close(self) -> None:
        try:
            os.write(self.master, b"\x11")  # Ctrl+Q
            self.proc.wait(10)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        os.close(self.master)


def first_frames(db: Path, data: Path, repeat: int, n: int) -> dict:
    env = _env(data)
    minimal = data / "minimal_app.py"
    minimal.write_text(MINIMAL_APP)
    app_argv = [sys.executable, "-m", "tui", "--db", str(db), "--today", TODAY.isoformat()]
    min_argv = [sys.executable, str(minimal)]
    app_times, min_times = [], []
    for i in range(repeat + 1):  # the first round warms caches and is dropped
        run = PtyRun(min_argv, env)
        t_min = run.wait_for(b"minimal-first-frame")
        run.close()
        run = PtyRun(app_argv, env)
        t_app = run.wait_for(b"Calls due (")
        run.close()
        if i:
            min_times.append(t_min)
            app_times.append(t_app)
    # peak memory: first frame, contacts screen, a search typed there
    run = PtyRun(app_argv, env)
    run.wait_for(b"Calls due (")
    run.send(b"\x1b[13~")  # F3
    run.wait_for(f"{n:,} contacts".encode())
    run.send(b"/")
    time.sleep(0.3)
    run.send(b"anna")
    run.wait_for(f" of {n:,}".encode())  # the top bar shows "N of M" once the search applied
    time.sleep(0.5)
    rss = run.peak_rss_mb()
    run.close()
    app_s, min_s = statistics.median(app_times), statistics.median(min_times)
    return {"app_s": app_s, "minimal_s": min_s, "ratio": app_s / min_s, "rss_mb": rss}


# ------------------------------------------------------------ store timings
def on_fresh_store(db: Path, fn, repeat: int = 5) -> tuple[float, object]:
    """Median ms of ``fn(store)``, each run on a newly opened store (opening
    not timed): Store remembers counts while the database is unchanged, and a
    benchmark must pay for them every time."""
    times, result = [], None
    for _ in range(repeat):
        store = Store(db, today=TODAY)
        store.statuses()
        start = time.perf_counter()
        result = fn(store)
        times.append((time.perf_counter() - start) * 1000)
        store.close()
    return statistics.median(times), result


def queue_timings(db: Path) -> dict:
    def first_screen(store):
        due = 0
        for kind in ("call", "email"):
            counts = store.queue_counts(kind=kind)
            store.queue_page(kind=kind, offset=0, limit=100, counts=counts)
            due += sum(c for _, c in counts)
        return due

    screen_ms, due = on_fresh_store(db, first_screen)
    full_ms, items = on_fresh_store(db, lambda store: store.queue(), repeat=2)
    return {"screen_ms": screen_ms, "due": due, "full_ms": full_ms, "full_items": len(items)}


def search_timings(db: Path) -> dict:
    results = {}
    for query in SEARCHES + [SHORT_SEARCH, RARE_SHORT_SEARCH]:
        def run(store, q=query):
            # as the contacts screen asks: the count up to its cap, then the
            # first page
            count = store.count_contacts(search=q, at_most=SEARCH_COUNT_CAP + 1)
            store.contacts(search=q, limit=100)
            return count
        results[query] = on_fresh_store(db, run)
    return results


# ---------------------------------------------------------------- keystroke
async def _keystrokes(db: Path, presses: int) -> dict:
    from textual.screen import Screen

    from tui.app import DailyReachApp
    from tui.screens.contacts import ContactsScreen
    from tui.screens.queue import QueueScreen
    from tui.widgets import RowList

    spans: list[tuple[str, float, float]] = []

    def timed(fn, part):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spans.append((part, start, time.perf_counter()))
        return wrapper

    # the handler (reclassify: write + reload of what the screen shows), the
    # card refresh the moved cursor triggers, and Textual's repaint
    patched = [(Screen, "_on_timer_update", "repaint"),
               (QueueScreen, "on_row_list_highlighted", "card"),
               (ContactsScreen, "on_row_list_highlighted", "card")]
    saved = [(cls, name, cls.__dict__[name]) for cls, name, _ in patched]
    for (cls, name, part), (_, _, fn) in zip(patched, saved):
        setattr(cls, name, timed(fn, part))
    store = Store(db, today=TODAY)
    app = DailyReachApp(store)
    app.reclassify = timed(app.reclassify, "handler")
    out = {}
    try:
        async with app.run_test(size=SIZE, notifications=True) as pilot:  # as the real app
            await pilot.pause(0.5)
            for screen_name, list_id in (("queue", "#calls"), ("contacts", "#contacts")):
                if screen_name == "contacts":
                    await pilot.press("f3")
                    await pilot.pause(0.5)
                work, wall, parts = [], [], {"handler": [], "card": [], "repaint": []}
                for i in range(presses + 1):
                    lst = app.screen.query_one(list_id, RowList)
                    current = lst.current
                    key = getattr(current, "status_key", None) or current["status_key"]
                    letter = "s" if key == "P" else "p"  # always a real change
                    spans.clear()
                    start = time.perf_counter()
                    await pilot.press(letter)
                    await pilot.pause(0.1)
                    # up to the last repaint that drew something: the frame
                    # that shows everything the key changed (a repaint with
                    # nothing to draw takes a few microseconds)
                    mine = [(p, a, b) for p, a, b in spans if a >= start]
                    drew = [(a, b) for p, a, b in mine if p == "repaint" and b - a > 0.0005]
                    ready = max(b for p, _, b in mine if p != "repaint")
                    final = max(drew) if drew else min(
                        (a, b) for p, a, b in mine if p == "repaint" and a >= ready)
                    mine = [(p, a, b) for p, a, b in mine if a <= final[0]]
                    if i:  # the first press warms caches
                        work.append(sum(b - a for _, a, b in mine) * 1000)
                        wall.append((final[1] - start) * 1000)
                        for part in parts:
                            parts[part].append(sum(b - a for p, a, b in mine if p == part) * 1000)
                    await pilot.press("down")
                out[screen_name] = {"work_ms": statistics.median(work), "max_ms": max(work),
                                    "wall_ms": statistics.median(wall),
                                    **{f"{p}_ms": statistics.median(v) for p, v in parts.items()}}
    finally:
        for cls, name, fn in saved:
            setattr(cls, name, fn)
        store.close()
    return out


def keystroke_timings(db: Path, data: Path, presses: int) -> dict:
    scratch = data / "keystroke.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(scratch) + suffix).unlink(missing_ok=True)
    with sqlite3.connect(db) as src, sqlite3.connect(scratch) as dst:
        src.backup(dst)
    try:
        return asyncio.run(_keystrokes(scratch, presses))
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(str(scratch) + suffix).unlink(missing_ok=True)


# ------------------------------------------------------------------- import
def import_timings(data: Path, rows: int) -> dict:
    from store import import_file

    csv_path = data / f"act-{rows}.csv"
    if not csv_path.exists():
        write_act_csv(csv_path, rows)
    work = Path(tempfile.mkdtemp(dir=data))
    try:
        store = Store(work / "import.db", today=TODAY)
        start = time.perf_counter()
        report = import_file(store, csv_path)
        app_s = time.perf_counter() - start
        store.close()
        # rows without an e-mail that share a name and company merge, as they should
        assert report.added + report.merged == rows and not report.skipped, report.as_dict()

        start = time.perf_counter()
        conn = sqlite3.connect(work / "baseline.db", isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        with open(csv_path, newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh)
            header = next(reader)
            cols = ", ".join(f"c{i} TEXT" for i in range(len(header)))
            conn.execute(f"CREATE TABLE t ({cols})")
            conn.execute("BEGIN")
            conn.executemany(f"INSERT INTO t VALUES ({', '.join('?' * len(header))})", reader)
            conn.execute("COMMIT")
        conn.close()
        base_s = time.perf_counter() - start
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"rows": rows, "app_rps": rows / app_s, "app_s": app_s,
            "base_rps": rows / base_s, "base_s": base_s}


# --------------------------------------------------------------------- main
def mark(ok: bool) -> str:
    return "met" if ok else "NOT MET"


PARTS = ("queue", "search", "keystroke", "first-frame", "import")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000",
                        help="comma-separated contact counts (default 10000,100000,1000000)")
    parser.add_argument("--only", default=",".join(PARTS),
                        help=f"comma-separated measurements to run (default all: {','.join(PARTS)})")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "dailyreach-bench",
                        help="where generated databases are kept between runs")
    parser.add_argument("--repeat", type=int, default=5, help="first-frame runs per program")
    parser.add_argument("--presses", type=int, default=8, help="keystrokes timed per screen")
    parser.add_argument("--import-max", type=int, default=100_000,
                        help="largest import timed (rows; default 100000)")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the cached databases")
    args = parser.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    only = {p.strip() for p in args.only.split(",")}
    if only - set(PARTS):
        parser.error(f"unknown measurement(s): {', '.join(sorted(only - set(PARTS)))}")
    args.data.mkdir(parents=True, exist_ok=True)
    print(f"dailyreach benchmarks — Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version},"
          f" {os.cpu_count()} CPUs, data in {args.data}")
    summary = []
    for n in sizes:
        print(f"\n== {n:,} contacts ==", flush=True)
        db, built = database(args.data, n, args.regenerate)
        with sqlite3.connect(db) as conn:
            acts = conn.execute("SELECT count(*) FROM activities").fetchone()[0]
        size_mb = sum(Path(str(db) + s).stat().st_size for s in ("", "-wal")
                      if Path(str(db) + s).exists()) / 1e6
        print(f"database      {db} ({size_mb:,.0f} MB, {acts:,} activities"
              + (f", generated in {built:.0f} s)" if built else ", cached)"), flush=True)
        row: dict = {"n": n}

        if "queue" in only:
            q = row["queue"] = queue_timings(db)
            print(f"queue         counts + first page of both lists: {q['screen_ms']:.1f} ms "
                  f"({q['due']:,} items due)   target {TARGETS['queue_ms']} ms at 1M")
            print(f"              whole Store.queue(): {q['full_ms']:.0f} ms ({q['full_items']:,} items)",
                  flush=True)

        if "search" in only:
            s = search_timings(db)
            for query, (ms, count) in s.items():
                note = ("  (1-2 character words: no index)"
                        if query in (SHORT_SEARCH, RARE_SHORT_SEARCH) else "")
                print(f"search        {query!r:<16} {ms:7.1f} ms  {count:>8,} matches{note}")
            worst_q, (worst_ms, _) = max(((k, v) for k, v in s.items()
                                          if k not in (SHORT_SEARCH, RARE_SHORT_SEARCH)),
                                         key=lambda kv: kv[1][0])
            row["search"] = (worst_q, worst_ms, s[SHORT_SEARCH][0], s[RARE_SHORT_SEARCH][0])
            print(f"              worst 3+ character query: {worst_q!r} {worst_ms:.1f} ms   "
                  f"target {TARGETS['search_ms']} ms at 1M", flush=True)

        if "keystroke" in only:
            k = row["keystroke"] = keystroke_timings(db, args.data, args.presses)
            for screen_name, r in k.items():
                print(f"keystroke     {screen_name:<9} {r['work_ms']:.1f} ms (worst {r['max_ms']:.1f}) ="
                      f" handler {r['handler_ms']:.1f} + card {r['card_ms']:.1f}"
                      f" + repaint {r['repaint_ms']:.1f}; key to repainted {r['wall_ms']:.1f} ms"
                      f"   target {TARGETS['key_ms']} ms", flush=True)

        if "first-frame" in only:
            f = row["frame"] = first_frames(db, args.data, args.repeat, n)
            print(f"first frame   app {f['app_s']:.2f} s, minimal Textual app {f['minimal_s']:.2f} s: "
                  f"{f['ratio']:.2f}x   target {TARGETS['first_frame_ratio']}x")
            print(f"peak memory   {f['rss_mb']:.0f} MB   target {TARGETS['rss_mb']} MB at 1M", flush=True)

        if "import" in only:
            rows = min(n, args.import_max)
            imp = row["import"] = import_timings(args.data, rows)
            print(f"import        {rows:,} rows: importer {imp['app_rps']:,.0f} rows/s ({imp['app_s']:.1f} s),"
                  f" csv+executemany baseline {imp['base_rps']:,.0f} rows/s ({imp['base_s']:.2f} s):"
                  f" {imp['base_rps'] / imp['app_rps']:.1f}x slower", flush=True)
        summary.append(row)

    if only == set(PARTS):
        print_summary(summary)


def print_summary(summary: list[dict]) -> None:
    """The README's table: one row per size, each figure next to its target."""
    print("\n| contacts | first frame: app / minimal | queue screen | search, worst 3+ chars "
          "(1-2 chars: frequent / none found) | keystroke queue / contacts | peak RSS | import rows/s (baseline) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for row in summary:
        big = row["n"] >= 1_000_000
        q, (_, worst, short, rare), k = row["queue"], row["search"], row["keystroke"]
        f, imp = row["frame"], row["import"]
        key = max(k["queue"]["work_ms"], k["contacts"]["work_ms"])

        def judged(text: str, ok: bool, always: bool = False) -> str:
            return f"{text} ({mark(ok)})" if big or always else text

        frame = f"{f['app_s']:.2f} s / {f['minimal_s']:.2f} s = {f['ratio']:.2f}x"
        queue = f"{q['screen_ms']:.0f} ms"
        keys = f"{k['queue']['work_ms']:.0f} / {k['contacts']['work_ms']:.0f} ms"
        cells = [
            f"{row['n']:,}",
            judged(frame, f["ratio"] <= TARGETS["first_frame_ratio"], True),
            judged(queue, q["screen_ms"] <= TARGETS["queue_ms"]),
            judged(f"{worst:.0f} ms", worst <= TARGETS["search_ms"])
            + f" ({short:.0f} / {rare:.0f} ms)",
            judged(keys, key <= TARGETS["key_ms"], True),
            judged(f"{f['rss_mb']:.0f} MB", f["rss_mb"] <= TARGETS["rss_mb"]),
            f"{imp['app_rps']:,.0f} ({imp['base_rps']:,.0f})",
        ]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
