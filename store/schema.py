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
    "m001_initial", "m002_queue_indexes",
    "m006_searchable_text", "m006_fts", "m006_activity_day",
)


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

    @migrations(name="m006_activity_day")
    def m006_activity_day(db):
        # "Done today" counts the day's reached calls and sent e-mails with
        # WHERE date(at) = ?; an index on that expression turns a scan of
        # the whole history into a range read.
        db.execute("CREATE INDEX activities_day ON activities(date(at))")

    return migrations
