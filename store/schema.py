"""Versioned schema steps, applied with ``sqlite_utils.Migrations``.

sqlite-utils imports pandas when it is installed (~0.4 s), so this module is
only imported when :func:`store.db.Store` finds steps that have not been
applied yet; a database that is up to date opens with :mod:`sqlite3` alone.
"""

from __future__ import annotations

from .scheme import default_statuses

MIGRATION_SET = "dailyreach"

#: Every step, in order.  :mod:`store.db` compares this list with the
#: ``_sqlite_migrations`` table without importing sqlite-utils; a test checks
#: it matches the steps registered below.
STEP_NAMES = (
    "m001_initial", "m002_queue_indexes", "m002a_activities_by_time",
    "m004_history_batches_status2", "m005_outcomes_snooze",
    "m006_searchable_text", "m006_fts", "m007_sort_whole_names", "m008_id_floor_import_maps",
)


def expected_tables(steps: frozenset[str]) -> set[str]:
    """The tables a database holds after the schema steps ``steps`` (the
    first steps of STEP_NAMES, as a backup of any version has applied):
    built in memory by the same steps, so a backup can be checked against
    it before it replaces anything."""
    import sqlite_utils

    pending = [name for name in STEP_NAMES if name not in steps]
    db = sqlite_utils.Database(memory=True)
    try:
        build_migrations().apply(db, stop_before=pending[0] if pending else None)
        return {r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
    finally:
        db.close()


def _statements(db, statements: list[str]) -> None:
    for sql in statements:
        db.execute(sql)


def build_migrations():
    from sqlite_utils import Migrations

    migrations = Migrations(MIGRATION_SET)

    @migrations(name="m001_initial")
    def m001_initial(db):
        _statements(db, [
            """CREATE TABLE settings (
                key TEXT PRIMARY KEY,
                value TEXT
            )""",
            """CREATE TABLE statuses (
                id INTEGER PRIMARY KEY,
                position INTEGER NOT NULL,
                name TEXT NOT NULL UNIQUE,
                call_days INTEGER,
                email_days INTEGER,
                meaning TEXT NOT NULL DEFAULT '',
                role TEXT
            )""",
            """CREATE TABLE contacts (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL DEFAULT '',
                first_name TEXT,
                last_name TEXT,
                company TEXT,
                title TEXT,
                email TEXT,
                email_norm TEXT,
                emails TEXT NOT NULL DEFAULT '[]',
                phone TEXT,
                phones TEXT NOT NULL DEFAULT '[]',
                status_id INTEGER REFERENCES statuses(id) ON DELETE SET NULL,
                status_raw TEXT,
                status2 TEXT,
                owner TEXT,
                notes TEXT,
                extra TEXT NOT NULL DEFAULT '{}',
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                sort_name TEXT NOT NULL DEFAULT '',
                search_text TEXT NOT NULL DEFAULT '',
                last_call_reached TEXT,
                last_email_sent TEXT,
                call_attempts INTEGER NOT NULL DEFAULT 0,
                next_call_due TEXT,
                next_email_due TEXT
            )""",
            "CREATE INDEX contacts_sort ON contacts(sort_name, id)",
            "CREATE INDEX contacts_email_norm ON contacts(email_norm)",
            "CREATE INDEX contacts_status ON contacts(status_id)",
            "CREATE INDEX contacts_call_due ON contacts(next_call_due)",
            "CREATE INDEX contacts_email_due ON contacts(next_email_due)",
            """CREATE TABLE activities (
                id INTEGER PRIMARY KEY,
                contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
                kind TEXT NOT NULL CHECK (kind IN ('call', 'email', 'meeting', 'note', 'status')),
                outcome TEXT,
                at TEXT NOT NULL,
                note TEXT,
                old_status TEXT,
                new_status TEXT,
                old_status_id INTEGER,
                new_status_id INTEGER,
                source TEXT NOT NULL DEFAULT 'app'
            )""",
            "CREATE INDEX activities_contact ON activities(contact_id, kind, at)",
            """CREATE TABLE status_map (
                raw_norm TEXT PRIMARY KEY,
                status_id INTEGER NOT NULL REFERENCES statuses(id) ON DELETE CASCADE
            )""",
        ])
        for status in default_statuses():
            db.execute(
                "INSERT INTO statuses (position, name, call_days, email_days, meaning, role)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [status.position, status.name, status.call_days, status.email_days,
                 status.meaning, status.role],
            )

    @migrations(name="m002_queue_indexes")
    def m002_queue_indexes(db):
        # The queue is read per status in (due, name) order: one composite
        # index per kind serves both the counts and the pages.
        _statements(db, [
            "DROP INDEX IF EXISTS contacts_call_due",
            "DROP INDEX IF EXISTS contacts_email_due",
            "CREATE INDEX contacts_call_queue ON contacts(status_id, next_call_due, sort_name)",
            "CREATE INDEX contacts_email_queue ON contacts(status_id, next_email_due, sort_name)",
        ])

    @migrations(name="m002a_activities_by_time")
    def m002a_activities_by_time(db):
        # "Done today" counts read one day of history: an index range, not a
        # pass over every activity.
        db.execute("CREATE INDEX activities_at ON activities(at)")

    @migrations(name="m004_history_batches_status2")
    def m004_history_batches_status2(db):
        _widen_activity_kinds(db, ("status2", "edit"))
        _statements(db, [
            # One row per user action that changed statuses (a single key
            # press, a bulk change, a clean-up mapping): its activities
            # carry the batch id, so the whole action can be undone at once,
            # in this session or after a restart.
            """CREATE TABLE change_batches (
                id INTEGER PRIMARY KEY,
                at TEXT NOT NULL,
                label TEXT NOT NULL,
                source TEXT NOT NULL,
                undoes INTEGER,
                undone_by INTEGER,
                map_raw_norm TEXT,
                map_before INTEGER,
                map_after INTEGER
            )""",
            "ALTER TABLE activities ADD COLUMN batch_id INTEGER",
            # Before and after values of a status 2 change or a field edit
            # (status changes keep using old_status / new_status).
            "ALTER TABLE activities ADD COLUMN field TEXT",
            "ALTER TABLE activities ADD COLUMN old_value TEXT",
            "ALTER TABLE activities ADD COLUMN new_value TEXT",
            "CREATE INDEX activities_batch ON activities(batch_id)",
            # The second, user-defined list (industry, source, region...).
            """CREATE TABLE status2_values (
                id INTEGER PRIMARY KEY,
                position INTEGER NOT NULL,
                name TEXT NOT NULL UNIQUE COLLATE NOCASE
            )""",
            "CREATE INDEX contacts_status2 ON contacts(status2 COLLATE NOCASE)",
            "CREATE INDEX contacts_owner ON contacts(owner COLLATE NOCASE)",
        ])

    @migrations(name="m005_outcomes_snooze")
    def m005_outcomes_snooze(db):
        # Outcomes, retries and snoozes.  E-mail attempts (bounces), the
        # latest attempt of each kind, the snooze in force and the day an item
        # is held until become derived columns; snoozes get an append-only
        # table of their own.  The derived columns of existing
        # contacts are recomputed by the Store right after (the marker
        # setting below), with the rules of the running version.
        _statements(db, [
            "ALTER TABLE contacts ADD COLUMN last_call_attempt TEXT",
            "ALTER TABLE contacts ADD COLUMN email_attempts INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE contacts ADD COLUMN last_email_attempt TEXT",
            "ALTER TABLE contacts ADD COLUMN call_snoozed_until TEXT",
            "ALTER TABLE contacts ADD COLUMN email_snoozed_until TEXT",
            # not shown before this day: the retry gap after an attempt, or a snooze
            "ALTER TABLE contacts ADD COLUMN call_hold_until TEXT",
            "ALTER TABLE contacts ADD COLUMN email_hold_until TEXT",
            # the queue pages stay index-only: the hold is read from the index
            "DROP INDEX IF EXISTS contacts_call_queue",
            "DROP INDEX IF EXISTS contacts_email_queue",
            "CREATE INDEX contacts_call_queue ON contacts"
            "(status_id, next_call_due, sort_name, id, call_hold_until)",
            "CREATE INDEX contacts_email_queue ON contacts"
            "(status_id, next_email_due, sort_name, id, email_hold_until)",
            """CREATE TABLE snoozes (
                id INTEGER PRIMARY KEY,
                contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
                kind TEXT NOT NULL CHECK (kind IN ('call', 'email')),
                until TEXT NOT NULL,
                at TEXT NOT NULL,
                reason TEXT NOT NULL DEFAULT 'snooze' CHECK (reason IN ('snooze', 'skip'))
            )""",
            "CREATE INDEX snoozes_contact ON snoozes(contact_id, kind, at)",
            # (the index on activities(at) came with m002a)
            # marketing exports pick statuses by role, which survives renames
            "UPDATE statuses SET role = 'prospect' WHERE name = 'Prospect' AND role IS NULL",
            "UPDATE statuses SET role = 'lead' WHERE name = 'New Lead' AND role IS NULL",
            "INSERT OR REPLACE INTO settings (key, value) VALUES ('_rebuild_derived', '1')",
        ])

    @migrations(name="m006_searchable_text")
    def m006_searchable_text(db):
        # store.text.clean now drops zero-width and tag characters, which
        # made names that look right unsearchable.  Text stored before keeps
        # them (it is displayed without them anyway); drop them from the
        # derived search and sort keys so those contacts can be found.
        # Removing a character from these keys equals rebuilding them from
        # cleaned fields: both are the fields joined, casefolded, and phone
        # digits, none of which an invisible character changes.
        from .text import strip_invisible

        rows = db.execute(
            "SELECT id, search_text, sort_name FROM contacts").fetchall()
        changed = []
        for cid, search, sort in rows:
            new_search, new_sort = strip_invisible(search), strip_invisible(sort)
            if (new_search, new_sort) != (search, sort):
                changed.append((new_search, new_sort, cid))
        db.conn.executemany(
            "UPDATE contacts SET search_text = ?, sort_name = ? WHERE id = ?", changed)

    @migrations(name="m006_fts")
    def m006_fts(db):
        # Search matches any part of a contact's search_text (name, company,
        # e-mails, phones and their digits).  A trigram index finds the rows
        # holding every 3+ character word without reading the whole table;
        # store.db still checks each candidate with instr(), so results are
        # exactly those of the plain scan.  search_text is casefolded before
        # it is stored, hence case_sensitive 1 (no second folding).
        #
        # FTS5 writes its pending changes out at the end of every statement
        # inside a transaction, so indexing row by row from triggers makes an
        # executemany of N contacts cost N small index writes (~6x slower
        # imports, measured).  Instead the triggers only note which contacts
        # changed (and the text the index holds for them) in
        # contacts_fts_pending, and Store.transaction() brings the index up
        # to date with two set-based statements just before COMMIT, in the
        # same transaction.  Triggers catch every write, whoever makes it.
        _statements(db, [
            """CREATE VIRTUAL TABLE contacts_fts USING fts5(
                search_text, content='contacts', content_rowid='id',
                tokenize='trigram case_sensitive 1')""",
            "INSERT INTO contacts_fts (contacts_fts) VALUES ('rebuild')",
            # old_text: what the index holds for the contact (NULL: nothing)
            """CREATE TABLE contacts_fts_pending (
                id INTEGER PRIMARY KEY,
                old_text TEXT
            )""",
            """CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts BEGIN
                INSERT OR IGNORE INTO contacts_fts_pending (id, old_text) VALUES (new.id, NULL);
            END""",
            """CREATE TRIGGER contacts_fts_update AFTER UPDATE OF search_text ON contacts BEGIN
                INSERT OR IGNORE INTO contacts_fts_pending (id, old_text)
                VALUES (old.id, old.search_text);
            END""",
            """CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts BEGIN
                INSERT OR IGNORE INTO contacts_fts_pending (id, old_text)
                VALUES (old.id, old.search_text);
            END""",
        ])

    @migrations(name="m007_sort_whole_names")
    def m007_sort_whole_names(db):
        # A contact with only a whole name now sorts by its last word, like
        # one with first and last names ("Ann Lee" among the L's).
        from .db import sort_name

        rows = db.execute("SELECT id, name, company, sort_name FROM contacts"
                          " WHERE coalesce(first_name, '') = '' AND coalesce(last_name, '') = ''"
                          ).fetchall()
        changed = [(new, cid) for cid, name, company, old in rows
                   if (new := sort_name(None, None, name, company)) != old]
        db.conn.executemany("UPDATE contacts SET sort_name = ? WHERE id = ?", changed)

    @migrations(name="m008_id_floor_import_maps")
    def m008_id_floor_import_maps(db):
        # SQLite gives a new row the highest id + 1, so after a purge deleted
        # the newest contacts their ids went to the next ones added, and a
        # window still showing a purged contact changed the newcomer.  A
        # purge now notes the highest contact id first; new contacts are
        # numbered above it (store.db.next_contact_id).
        #
        # An import remembers how it classified raw status values; undoing
        # the import must forget them again, or the next import of the file
        # repeats what was undone.  map_changes holds the import's
        # [raw_norm, status id before, status id after] triples (a clean-up
        # batch keeps its single mapping in map_raw_norm / map_before / map_after).
        _statements(db, [
            """CREATE TABLE id_floor (
                tbl TEXT PRIMARY KEY,
                last_id INTEGER NOT NULL
            )""",
            "ALTER TABLE change_batches ADD COLUMN map_changes TEXT",
        ])

    return migrations


def _widen_activity_kinds(db, kinds: tuple[str, ...]) -> None:
    """Allow more values in the CHECK on ``activities.kind``.

    SQLite cannot alter a CHECK constraint, so the table is rebuilt from its
    own stored definition (whatever columns other steps have added survive),
    with its rows, indexes and triggers, inside the migration's transaction.
    """
    import re

    (sql,) = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'activities'"
    ).fetchone()
    match = re.search(r"CHECK\s*\(\s*kind\s+IN\s*\(([^)]*)\)\s*\)", sql, re.IGNORECASE)
    if match is None:
        return  # no CHECK on kind: every value is already allowed
    present = re.findall(r"'([^']*)'", match.group(1))
    wanted = present + [k for k in kinds if k not in present]
    if wanted == present:
        return
    check = "CHECK (kind IN (" + ", ".join(f"'{k}'" for k in wanted) + "))"
    new_sql = sql[:match.start()] + check + sql[match.end():]
    new_sql = re.sub(r"^CREATE TABLE\s+\"?activities\"?", "CREATE TABLE activities_new", new_sql,
                     flags=re.IGNORECASE)
    extras = [r[0] for r in db.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name = 'activities'"
        " AND type IN ('index', 'trigger') AND sql IS NOT NULL")]
    db.execute(new_sql)
    db.execute("INSERT INTO activities_new SELECT * FROM activities")
    db.execute("DROP TABLE activities")
    db.execute("ALTER TABLE activities_new RENAME TO activities")
    for extra in extras:
        db.execute(extra)
