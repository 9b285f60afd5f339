"""Import speed and memory benchmark.

Writes an Act!-style "text delimited" CSV of N rows (made-up people, the
Act! field labels as headers), then in the same run times:

1. the baseline: ``csv.reader`` + ``sqlite3.executemany`` of every row into
   a plain table with one TEXT column per CSV column, one transaction;
2. ``dailyreach``'s import of the same file into an empty database (created
   and migrated before the clock starts)
   (detection, decoding, mapping, dates, phones, duplicates, history,
   derived columns, indexes — everything a real import does);

and prints both times and their ratio, in wall-clock and CPU time (CPU time
is steadier on a machine shared with other work).  A third figure, "writes
alone", takes the rows that import wrote (contacts and history, already
prepared) and times only writing them into another empty database the way
the import does (indexes rebuilt at the end, search index, commit): the
part no speed-up of the Python side can remove.  ``--memory`` runs the import in a
child process and reports its peak resident memory.

    uv run python scripts/bench_import.py                 # 100,000 rows
    uv run python scripts/bench_import.py --rows 1000000 --memory
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

HEADER = ["Company", "Contact", "First Name", "Last Name", "Title", "Phone", "Extension",
          "Mobile Phone", "Fax Phone", "E-mail", "Address 1", "City", "State", "ZIP Code",
          "Country", "ID/Status", "Referred By", "Last Results", "Last Reach", "Last Attempt",
          "Last Meeting", "Create Date", "Edit Date", "Record Manager", "User 1"]
FIRST = ["Anna", "Ben", "Carla", "Dmitri", "Elif", "Frank", "Greta", "Hiro", "Inès", "Jürgen",
         "Kwame", "Linh", "Marta", "Noah", "Olga", "Pål", "Quinn", "Renée", "Søren", "Tariq"]
LAST = ["Müller", "Østergaard", "Nguyen", "O'Brien", "García", "Kowalski", "Björk", "Dubois",
        "Okafor", "Tanaka", "Fischer", "Haddad", "Lindqvist", "Moreau", "Patel", "Rossi"]
COMPANIES = ["Bluefin Logistics", "Harbor & Pine LLC", "Kettle Creek Farms", "Summit Dental",
             "Lantern Software", "Redwood Print Co.", "Copperleaf Insurance", "Orchid Clinic"]
STATUSES = ["Key Client", "key client", "Secondary Client", "Prospect", "PROSPECT", "prospects",
            "New Lead", "Inactive Client", "Prosp.", "Former Client", "", "Vendor", "Employee"]
CITIES = ["Franklin", "Greenville", "Springfield", "Clinton", "Madison", "Salem"]


def write_csv(path: Path, rows: int, seed: int = 3) -> None:
    rng = random.Random(seed)

    def day() -> str:
        return f"{rng.randint(1, 12)}/{rng.randint(1, 28)}/{rng.randint(2012, 2025)}"

    with open(path, "w", encoding="cp1252", newline="") as fh:
        out = csv.writer(fh, lineterminator="\r\n")
        out.writerow(HEADER)
        for i in range(rows):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            reach = day() if rng.random() < 0.7 else ""
            out.writerow([
                rng.choice(COMPANIES), f"{first} {last}", first, last, "Owner",
                f"({rng.randint(201, 989)}) {rng.randint(201, 989)}-{rng.randint(0, 9999):04d}", "",
                f"{rng.randint(201, 989)}-{rng.randint(201, 989)}-{rng.randint(0, 9999):04d}"
                if rng.random() < 0.3 else "", "",
                f"{first[0].lower()}{i}@example.com".encode("ascii", "ignore").decode(),
                f"{rng.randint(1, 9999)} Oak Ave", rng.choice(CITIES), "NY",
                f"{rng.randint(0, 99999):05d}", "", rng.choice(STATUSES), "",
                "Left message" if reach and rng.random() < 0.3 else "", reach,
                day() if rng.random() < 0.3 else "", "", day(), day(), "Chris Seller", "",
            ])


def baseline(path: Path, db: Path) -> tuple[float, float]:
    start, cpu = time.perf_counter(), time.process_time()
    conn = sqlite3.connect(db, isolation_level=None)
    with open(path, encoding="cp1252", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        cols = ", ".join(f'"c{i}" TEXT' for i in range(len(header)))
        conn.execute(f"CREATE TABLE rows ({cols})")
        conn.execute("BEGIN")
        conn.executemany(f"INSERT INTO rows VALUES ({', '.join('?' * len(header))})", reader)
        conn.execute("COMMIT")
    conn.close()
    return time.perf_counter() - start, time.process_time() - cpu


def dailyreach_import(path: Path, db: Path) -> tuple[float, float, object]:
    from datetime import date

    from store import Store, import_file

    store = Store(db, today=date(2026, 12, 3))  # an empty, ready database
    start, cpu = time.perf_counter(), time.process_time()
    report = import_file(store, path)
    store.close()
    return time.perf_counter() - start, time.process_time() - cpu, report


def writes_only(imported: Path, db: Path) -> tuple[float, float]:
    """Write the rows an import stored in ``imported`` into the empty
    database ``db``, as a bulk import writes them; time only that."""
    from datetime import date

    from store import Store

    src = sqlite3.connect(imported)
    columns = [r[1] for r in src.execute("PRAGMA table_info(contacts)")]
    contacts = src.execute(f"SELECT {', '.join(columns)} FROM contacts").fetchall()
    act_columns = [r[1] for r in src.execute("PRAGMA table_info(activities)") if r[1] != "id"]
    activities = src.execute(f"SELECT {', '.join(act_columns)} FROM activities").fetchall()
    src.close()
    store = Store(db, today=date(2026, 12, 3))
    conn = store.conn
    conn.execute("PRAGMA cache_size = -131072")  # as the import sets them
    conn.execute("PRAGMA foreign_keys = OFF")
    start, cpu = time.perf_counter(), time.process_time()
    with store.transaction():  # brings the search index up to date before COMMIT
        indexes = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                               " AND tbl_name = 'contacts' AND sql IS NOT NULL").fetchall()
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        conn.executemany(f"INSERT INTO contacts ({', '.join(columns)})"
                         f" VALUES ({', '.join('?' * len(columns))})", contacts)
        conn.executemany(f"INSERT INTO activities ({', '.join(act_columns)})"
                         f" VALUES ({', '.join('?' * len(act_columns))})", activities)
        for _, sql in indexes:
            conn.execute(sql)
    elapsed = time.perf_counter() - start, time.process_time() - cpu
    store.close()
    return elapsed


def peak_rss_kb() -> int:
    """This process's peak resident memory.  VmHWM, not getrusage's
    ru_maxrss: that one survives exec, so a child started by a parent
    holding a million rows reported the parent's size (2.6 GB, not 0.6)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # (no /proc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--memory", action="store_true",
                        help="also run the import in a child process and report its peak memory")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:  # the memory run: import only, then report peak RSS
        with tempfile.TemporaryDirectory() as tmp:
            seconds, _, report = dailyreach_import(Path(args.child), Path(tmp) / "child.db")
        print(f"{seconds:.2f} {peak_rss_kb()} {report.added}")
        return
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        path = tmpdir / "act.csv"
        t = time.perf_counter()
        write_csv(path, args.rows)
        size = path.stat().st_size
        print(f"wrote {args.rows:,} rows ({size / 1e6:.1f} MB) in {time.perf_counter() - t:.1f} s")
        # warm the page cache and the imports for both sides
        path.read_bytes()
        import store  # noqa: F401

        base, base_cpu = baseline(path, tmpdir / "base.db")
        ours, ours_cpu, report = dailyreach_import(path, tmpdir / "dr.db")
        print(f"csv.reader + executemany: {base:.2f} s  (CPU {base_cpu:.2f} s)")
        print(f"dailyreach import:        {ours:.2f} s  (CPU {ours_cpu:.2f} s; {report.added:,} "
              f"contacts, {report.merged:,} merged)")
        print(f"ratio:                    {ours / base:.2f}x  (CPU time: {ours_cpu / base_cpu:.2f}x)")
        floor, floor_cpu = writes_only(tmpdir / "dr.db", tmpdir / "floor.db")
        print(f"writes alone:             {floor:.2f} s  (CPU {floor_cpu:.2f} s) = {floor / base:.2f}x"
              f" the plain insert")
        if args.memory:
            out = subprocess.run([sys.executable, __file__, "--child", str(path)],
                                 capture_output=True, text=True, check=True)
            seconds, peak_kb, added = out.stdout.split()
            print(f"memory run: {int(added):,} contacts in {float(seconds):.1f} s, "
                  f"peak memory {int(peak_kb) / 1024:.0f} MB")


if __name__ == "__main__":
    main()
