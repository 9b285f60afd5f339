"""Store-level tests for issue 4: undo batches, status 2, clean-up mapping,
editing, filters, the breakdown, backup / purge / restore.

Expected values are worked out by hand from the fixture or recounted in the
test with plain Python over ``store.contacts()``."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections import Counter
from datetime import date

import pytest

from store import Store, StoreError, import_file
from store.importer import ImportReport, import_records

from conftest import TODAY, contact_id, make_record


@pytest.fixture
def messy(tmp_path) -> Store:
    """Three clean contacts and five with messy statuses:

    Kim Key (K), Pat Prospect (P), Vic Vendor (V); Una and Uri "Prosp.",
    Ugo "KEY", Ula "Customer", Uma blank.
    """
    store = Store(tmp_path / "messy.db", today=TODAY)
    import_records(store, [
        make_record(2, "Kim Key", company="Acme", status="Key Client", email="kim@acme.test",
                    phone="555-0101", reached=date(2026, 8, 1)),
        make_record(3, "Pat Prospect", company="Bolt", status="prospect", phone="555-0102"),
        make_record(4, "Vic Vendor", company="Dyes", status="Vendor", phone="555-0104"),
        make_record(5, "Una Alpha", company="Elm", status="Prosp.", phone="555-0105"),
        make_record(6, "Uri Beta", company="Fig", status="prosp. ", phone="555-0106"),
        make_record(7, "Ugo Gamma", company="Gum", status="KEY", phone="555-0107"),
        make_record(8, "Ula Delta", company="Hop", status="Customer", phone="555-0108"),
        make_record(9, "Uma Epsilon", company="Ivy", status="", phone="555-0109"),
    ], ImportReport(file="test"))
    yield store
    store.close()


def statuses_of(store: Store) -> dict[str, str | None]:
    return {c["name"]: c["status_key"] for c in store.contacts()}


# ------------------------------------------------------------------ undo
def test_bulk_change_is_one_batch_and_undo_reverts_it_after_a_restart(messy, tmp_path):
    kim, pat, una = (contact_id(messy, n) for n in ("Kim Key", "Pat Prospect", "Una Alpha"))
    first = messy.set_status([pat], "S")
    bulk = messy.set_status([kim, pat, una], "I")
    assert len({c.batch for c in bulk}) == 1 and bulk[0].batch != first[0].batch
    assert [(c.contact_id, c.old_key, c.new_key) for c in bulk] == [
        (kim, "K", "I"), (pat, "S", "I"), (una, None, "I")]
    path = messy.path
    messy.close()

    store = Store(path, today=TODAY)  # a new session: history survives
    assert store.last_undoable().label == "3 contacts → Inactive Client"
    result = store.undo()
    assert (result.reverted, result.skipped) == (3, 0)
    assert {n: k for n, k in statuses_of(store).items()
            if n in ("Kim Key", "Pat Prospect", "Una Alpha")} == {
        "Kim Key": "K", "Pat Prospect": "S", "Una Alpha": None}
    latest = store.history(pat)[0]
    assert (latest["old_status"], latest["new_status"], latest["note"]) == (
        "Inactive Client", "Secondary Client", "undo")
    # multi-level: the next undo reverts the change before
    assert store.undo().label == "Pat Prospect → Secondary Client"
    assert store.contact(pat)["status_key"] == "P"
    with pytest.raises(StoreError, match="nothing to undo"):
        store.undo()
    with pytest.raises(StoreError, match="already been undone"):
        store.undo(result.batch)
    store.close()


def test_undo_leaves_a_contact_changed_since_alone(messy):
    kim, pat = contact_id(messy, "Kim Key"), contact_id(messy, "Pat Prospect")
    batch = messy.set_status([kim, pat], "V")[0].batch
    messy.set_status([kim], "E")
    result = messy.undo(batch)
    assert (result.reverted, result.skipped, result.contact_ids) == (1, 1, (pat,))
    assert messy.contact(kim)["status_key"] == "E"
    assert messy.contact(pat)["status_key"] == "P"


def test_imports_are_not_undone(messy):
    with pytest.raises(StoreError, match="nothing to undo"):
        messy.undo()


# ------------------------------------------------------------------ status 2
def test_status2_list_has_unique_first_letters_and_is_editable(messy):
    messy.add_status2("Retail")
    messy.add_status2("  Health   care ")
    with pytest.raises(StoreError, match="'Retail' and 'Real estate' both start with 'R'"):
        messy.add_status2("Real estate")
    with pytest.raises(StoreError, match="must start with a letter"):
        messy.add_status2("3D printing")
    assert [(v.key, v.name) for v in messy.status2_values()] == [("R", "Retail"),
                                                                  ("H", "Health care")]
    kim, pat = contact_id(messy, "Kim Key"), contact_id(messy, "Pat Prospect")
    changes = messy.set_status2([kim, pat], "r")  # by letter
    assert [(c.old, c.new) for c in changes] == [(None, "Retail"), (None, "Retail")]
    row = messy.history(kim)[0]
    assert (row["kind"], row["old_value"], row["new_value"]) == ("status2", None, "Retail")
    messy.rename_status2("retail", "Restaurants")
    assert messy.contact(kim)["status2"] == "Restaurants"
    with pytest.raises(StoreError, match="2 contact"):
        messy.remove_status2("Restaurants")
    assert len(messy.remove_status2("Restaurants", clear=True)) == 2
    assert messy.contact(pat)["status2"] is None
    assert [v.name for v in messy.status2_values()] == ["Health care"]
    with pytest.raises(StoreError, match="not in the status 2 list"):
        messy.set_status2([kim], "Retail")


def test_status2_undo_reverts_the_batch(messy):
    messy.add_status2("Web")
    messy.add_status2("Referral")
    kim = contact_id(messy, "Kim Key")
    messy.set_status2([kim], "Web")
    messy.set_status2([kim], "R")
    assert messy.undo().reverted == 1
    assert messy.contact(kim)["status2"] == "Web"
    messy.undo()
    assert messy.contact(kim)["status2"] is None


# ------------------------------------------------------------------ clean-up
def test_raw_statuses_group_by_likely_status(messy):
    by_norm = {v.norm: v for v in messy.raw_statuses()}
    # "Prosp." and "prosp. " fold to one value carried by two contacts
    prosp = by_norm["prosp."]
    assert (prosp.count, prosp.unclassified, prosp.spellings) == (2, 2, 2)
    assert (prosp.mapped_key, prosp.guess_key) == (None, "P")
    assert by_norm["key"].guess_key == "K"
    assert by_norm["customer"].key is None  # nothing close enough
    assert by_norm["key client"].mapped_key == "K" and by_norm["key client"].exact
    assert by_norm[""].count == 1


def test_mapping_a_value_classifies_its_contacts_and_is_remembered(messy):
    una, uri = contact_id(messy, "Una Alpha"), contact_id(messy, "Uri Beta")
    result = messy.map_raw_status("Prosp.", "p")
    assert sorted(result.changed) == sorted([una, uri])
    assert messy.contact(una)["status_key"] == "P"
    assert messy.history(uri)[0]["note"] == "clean-up: 'Prosp.'"
    # a future import of another spelling gets the mapped status
    import_records(messy, [make_record(10, "New Person", status="PROSP.", phone="555-0110")],
                   ImportReport(file="later"))
    assert messy.contact(contact_id(messy, "New Person"))["status_key"] == "P"
    # re-mapping moves the contacts still on the old meaning, not hand-changed ones
    messy.set_status([una], "S")
    result = messy.map_raw_status("prosp.", "n")
    assert set(result.changed) == {uri, contact_id(messy, "New Person")}
    assert messy.contact(una)["status_key"] == "S"
    # undo reverts the contacts and the remembered mapping
    messy.undo()
    assert messy.contact(uri)["status_key"] == "P"
    assert dict(messy.conn.execute("SELECT raw_norm, status_id FROM status_map").fetchall()) == {
        "prosp.": messy.status_by_key("P").id}
    messy.undo()  # Una's hand change
    messy.undo()  # the first mapping
    assert messy.contact(uri)["status_key"] is None
    assert messy.conn.execute("SELECT count(*) FROM status_map").fetchone()[0] == 0


def test_a_status_name_cannot_be_mapped_elsewhere(messy):
    with pytest.raises(StoreError, match="name of a status"):
        messy.map_raw_status("KEY CLIENT", "p")


# ------------------------------------------------------------------ editing
def test_edit_records_old_and_new_values_and_keeps_queue_in_step(messy):
    pat = contact_id(messy, "Pat Prospect")
    changed = messy.update_contact(pat, {"company": "Bolt & Nut", "phones": [],
                                         "title": "Owner"})
    assert changed == ["company", "title", "phones"]
    got = messy.contact(pat)
    assert (got["company"], got["phone"], got["next_call_due"]) == ("Bolt & Nut", None, None)
    edits = {h["field"]: (h["old_value"], h["new_value"]) for h in messy.history(pat)
             if h["kind"] == "edit"}
    assert edits["company"] == ("Bolt", "Bolt & Nut")
    assert edits["title"] == (None, "Owner")
    assert messy.count_contacts(search="nut") == 1
    with pytest.raises(StoreError, match="not an e-mail address"):
        messy.update_contact(pat, {"emails": [{"type": "work", "value": "pat at bolt"}]})
    with pytest.raises(StoreError, match="cannot edit"):
        messy.update_contact(pat, {"status_id": 1})
    assert messy.contact(pat)["emails"] == []


def test_a_name_made_of_first_and_last_follows_an_edit_of_them(messy):
    cid = messy.add_contact({"name": "Eve Smith", "first_name": "Eve", "last_name": "Smith"})
    assert messy.update_contact(cid, {"name": "Eve Smith", "first_name": "Eva"}) == [
        "first_name", "name"]
    assert messy.contact(cid)["name"] == "Eva Smith"
    # a name of its own (a nickname, a company) stays as typed
    other = messy.add_contact({"name": "Dr. Bo", "first_name": "Bo", "last_name": "Lund"})
    messy.update_contact(other, {"first_name": "Bob"})
    assert messy.contact(other)["name"] == "Dr. Bo"


def test_add_contact_by_hand_and_duplicates(messy):
    dupes = messy.possible_duplicates({"name": "Kimberly Key", "emails": [
        {"type": "work", "value": "KIM@acme.test"}], "phones": [{"value": "(555) 0104"}]})
    names = {d["name"]: d["reasons"] for d in dupes}
    assert names == {"Kim Key": ["same e-mail"], "Vic Vendor": ["same phone"]}
    assert messy.possible_duplicates({"name": "pat prospect", "company": "BOLT"})[0]["name"] == \
        "Pat Prospect"
    cid = messy.add_contact({"first_name": "Zed", "last_name": "Zulu", "phones": [
        {"type": "mobile", "value": "555-0199"}]})
    got = messy.contact(cid)
    assert (got["name"], got["status_key"], got["created_at"]) == ("Zed Zulu", None, "2026-12-03")
    with pytest.raises(StoreError, match="needs a name or a company"):
        messy.add_contact({"title": "Nobody"})


# ------------------------------------------------------------------ filters
def test_filters_by_status2_owner_and_due(messy):
    messy.add_status2("Web")
    kim, pat, vic = (contact_id(messy, n) for n in ("Kim Key", "Pat Prospect", "Vic Vendor"))
    messy.set_status2([kim, vic], "Web")
    messy.update_contact(kim, {"owner": "Dana Whitfield"})
    assert [c["name"] for c in messy.contacts(status2="web")] == ["Kim Key", "Vic Vendor"]
    assert messy.count_contacts(status2="-") == 6
    assert [c["name"] for c in messy.contacts(owner="dana whitfield")] == ["Kim Key"]
    assert messy.count_contacts(owner="-") == 7
    # Kim: reached 2026-08-01 + 90 → call due 2026-10-30 (overdue); Pat: never
    # reached, arrived 2020-01-01 → due; Vic: vendors are never due.
    assert messy.count_contacts(status="k", due="overdue") == 1
    assert {c["name"] for c in messy.contacts(due="today")} == {"Kim Key", "Pat Prospect"}
    assert messy.contact_ids(status2="Web") == [kim, vic]
    with pytest.raises(StoreError, match="due filter"):
        messy.count_contacts(due="soon")


# ------------------------------------------------------------------ breakdown
def test_breakdown_matches_a_recount(messy):
    messy.add_status2("Web")
    messy.set_status2([contact_id(messy, "Kim Key"), contact_id(messy, "Una Alpha")], "w")
    contacts = messy.contacts()
    total = len(contacts)
    by_status = Counter(c["status_key"] for c in contacts)
    rows = messy.breakdown("status")
    assert [(r["status_key"], r["count"]) for r in rows] == [
        ("K", 1), ("P", 1), ("V", 1), (None, 5)]
    assert {r["status_key"]: r["count"] for r in rows} == dict(by_status)
    assert rows[-1] == {"status_key": None, "status": None, "count": 5,
                        "percent": round(100 * 5 / total, 1)}
    cross = messy.breakdown("status,status2")
    expected = Counter((c["status_key"], c["status2"]) for c in contacts)
    assert {(r["status_key"], r["status2"]): r["count"] for r in cross} == dict(expected)
    with pytest.raises(StoreError, match="cannot group by 'colour'"):
        messy.breakdown("status,colour")
    # owner first: each owner's rows together (by name, none last), statuses in list order
    messy.update_contact(contact_id(messy, "Vic Vendor"), {"owner": "Dana"})
    messy.update_contact(contact_id(messy, "Kim Key"), {"owner": "Dana"})
    messy.update_contact(contact_id(messy, "Pat Prospect"), {"owner": "Ann"})
    rows = messy.breakdown("owner,status")
    assert [(r["owner"], r["status_key"], r["count"]) for r in rows] == [
        ("Ann", "P", 1), ("Dana", "K", 1), ("Dana", "V", 1), (None, None, 5)]


# ------------------------------------------------------------------ backup / purge
def test_purge_deletes_only_after_a_verified_backup_that_holds_them(messy, tmp_path):
    una, ula = contact_id(messy, "Una Alpha"), contact_id(messy, "Ula Delta")
    messy.log(una, "note", None, note="keep me in the backup")
    messy.set_status([una, ula], "d")
    marked = messy.marked_for_deletion()
    assert marked == {"contacts": 2, "activities": 3, "ids": sorted([una, ula])}  # two status rows and the note
    before = messy.conn.execute("SELECT count(*) FROM activities").fetchone()[0]

    (tmp_path / "bk").mkdir()
    result = messy.purge(backup_dir=tmp_path / "bk")
    assert (result.contacts, result.activities) == (2, 3)
    assert messy.count_contacts() == 6
    assert messy.conn.execute("SELECT count(*) FROM activities").fetchone()[0] == before - 3
    backup = result.backup.path
    assert stat.S_IMODE(os.stat(backup).st_mode) == 0o600
    with sqlite3.connect(backup) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM contacts").fetchone()[0] == 8
        assert conn.execute("SELECT note FROM activities WHERE contact_id = ? AND kind = 'note'",
                            [una]).fetchone()[0] == "keep me in the backup"

    restored = messy.restore(backup, backup_dir=tmp_path / "bk")
    assert (restored.contacts, restored.backup.contacts) == (8, 6)
    assert messy.contact(una)["status_key"] == "D"
    assert any(h["note"] == "keep me in the backup" for h in messy.history(una))


def test_purge_with_an_unwritable_backup_location_deletes_nothing(messy, tmp_path):
    messy.set_status([contact_id(messy, "Una Alpha")], "d")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="nothing was deleted"):
        messy.purge(backup_dir=blocker / "backups")
    assert messy.count_contacts() == 8
    assert messy.marked_for_deletion()["contacts"] == 1
    # a file called "backups" where the default folder goes is named as such
    # (the system's own words, "File exists", read as if the backup were there)
    (messy.path.parent / "backups").write_text("a file")
    with pytest.raises(StoreError) as err:
        messy.purge()
    assert f"{messy.path.parent / 'backups'} is a file, not a folder" in str(err.value)
    assert "nothing was deleted" in str(err.value) and messy.count_contacts() == 8


def test_backup_never_overwrites_and_restore_refuses_non_backups(messy, tmp_path):
    first = messy.backup(tmp_path / "one.db")
    assert (first.contacts, first.activities) == (8, messy.conn.execute(
        "SELECT count(*) FROM activities").fetchone()[0])
    with pytest.raises(StoreError, match="already exists"):
        messy.backup(tmp_path / "one.db")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"hello, not a database at all" * 100)
    with pytest.raises(StoreError, match="junk.db"):
        messy.restore(junk)
    with pytest.raises(StoreError, match="the database itself"):
        messy.restore(messy.path)
    assert messy.count_contacts() == 8


def test_restore_refuses_a_backup_that_lacks_tables_of_its_schema_version(messy, tmp_path):
    import sqlite3

    broken = messy.backup(tmp_path / "broken.db").path
    conn = sqlite3.connect(broken)
    conn.execute("DROP TABLE status2_values")  # still passes SQLite's integrity check
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="lacks the table.s. status2_values"):
        messy.restore(broken, backup_dir=tmp_path)
    assert messy.count_contacts() == 8 and messy.status2_values() == []
    # an intact backup still restores
    good = messy.backup(tmp_path / "good.db").path
    assert messy.restore(good, backup_dir=tmp_path).contacts == 8


# ------------------------------------------------------------------ found by fresh eyes
def test_an_import_that_classifies_stored_contacts_is_one_undoable_change(messy):
    una, uri = contact_id(messy, "Una Alpha"), contact_id(messy, "Uri Beta")
    messy.set_status([contact_id(messy, "Kim Key")], "S")  # an older, unrelated change
    # a second import naming what "Prosp." means classifies Una and Uri
    import_records(messy, [make_record(2, "Zed New", company="Zoo", phone="555-0199")],
                   ImportReport(file="/tmp/again.csv"), status_map={"Prosp.": "p"})
    assert (messy.contact(una)["status_key"], messy.contact(uri)["status_key"]) == ("P", "P")
    newest = messy.batches(1)[0]
    assert (newest.label, newest.source, newest.contacts) == (
        "import of again.csv: status of 2 contact(s), 1 raw status mapping(s)", "import", 2)
    result = messy.undo()
    assert (result.batch, result.reverted) == (newest.id, 2)
    assert (messy.contact(una)["status_key"], messy.contact(uri)["status_key"]) == (None, None)
    assert messy.conn.execute("SELECT count(*) FROM status_map").fetchone()[0] == 0  # forgotten too
    assert messy.contact(contact_id(messy, "Kim Key"))["status_key"] == "S"  # not touched


def test_undo_of_a_change_with_nothing_left_to_revert_is_refused_not_marked(messy):
    pat = contact_id(messy, "Pat Prospect")
    to_i = messy.set_status([pat], "I")[0].batch
    to_k = messy.set_status([pat], "K")[0].batch
    messy.set_status([pat], None)
    with pytest.raises(StoreError, match="nothing to undo in 'Pat Prospect → Inactive Client'"):
        messy.undo(to_i)
    assert not [b for b in messy.batches() if b.id == to_i][0].undone
    # undoing newest first walks back to the start: unclassified → K → I → P
    assert [messy.undo().batch for _ in range(3)] == [to_i + 2, to_k, to_i]
    assert messy.contact(pat)["status_key"] == "P"


def test_undo_passes_over_a_change_whose_contacts_are_gone(messy, tmp_path):
    kim, vic = contact_id(messy, "Kim Key"), contact_id(messy, "Vic Vendor")
    to_e = messy.set_status([kim], "E")[0].batch
    messy.set_status([vic], "D")
    messy.purge(backup_dir=tmp_path)
    result = messy.undo()  # Vic is gone: the change before is undone instead
    assert result.batch == to_e and messy.contact(kim)["status_key"] == "K"
    with pytest.raises(StoreError, match="nothing to undo"):
        messy.undo()


def test_undo_of_a_removed_status2_value_puts_it_back_in_the_list(messy):
    messy.add_status2("Website")
    kim, pat = contact_id(messy, "Kim Key"), contact_id(messy, "Pat Prospect")
    messy.set_status2([kim, pat], "Website")
    assert len(messy.remove_status2("website", clear=True)) == 2
    assert messy.undo().reverted == 2
    assert [v.name for v in messy.status2_values()] == ["Website"]
    assert messy.count_contacts(status2="Website") == 2
    messy.set_status2([kim], "w")  # the letter works again


@pytest.mark.parametrize("name", ["ßtefan", "Жора", "3M"])
def test_a_first_letter_without_a_plain_key_is_refused(messy, name):
    with pytest.raises(StoreError, match="must start with a letter A–Z"):
        messy.set_owner_name(name)
    with pytest.raises(StoreError, match="must start with a letter A–Z"):
        messy.add_status2(name)
    assert messy.owner_name() == "Me" and messy.status2_values() == []


def test_an_accented_first_letter_keys_as_its_plain_letter(messy):
    with pytest.raises(StoreError, match="'Employee' and 'Émile' both start with 'E'"):
        messy.set_owner_name("Émile")
    messy.set_owner_name("Åsa")
    assert messy.status_by_key("a").name == "Åsa"
    messy.add_status2("Ökonomie")
    assert messy.status2_lookup("o").name == "Ökonomie"
    messy.add_status2("ﬁnance")  # a ligature keys as its first plain letter, one letter
    assert [v.key for v in messy.status2_values()] == ["O", "F"]


def test_the_days_status_changes_leave_out_undone_ones_and_the_undos(messy):
    kim, pat = contact_id(messy, "Kim Key"), contact_id(messy, "Pat Prospect")
    messy.set_status([kim], "S")
    messy.set_status([kim, pat], "I")  # two contacts: two changes
    assert messy.day_summary()["status_changes"] == 3
    messy.undo()  # the bulk change and its undo cancel out
    assert messy.day_summary()["status_changes"] == 1


@pytest.mark.parametrize("raw, guess", [
    ("Former Client", None),  # shares only "client" with three statuses: no guess
    ("Ex-client", None), ("Meeting", None),  # "Me" (the personal status) inside a word
    ("Client - Key", "Key Client"), ("Sec. client", "Secondary Client"), ("Prosp.", "Prospect"),
    ("Vend.", "Vendor"), ("Lead", "New Lead"), ("Del", "Delete"),
])
def test_a_guess_rests_on_the_words_that_tell_statuses_apart(messy, raw, guess):
    from store.cleanup import guess_status

    status, _ = guess_status(raw, messy.statuses())
    assert (status.name if status else None) == guess


def test_a_restore_starts_a_new_generation_and_undo_checks_whose_row_an_id_names(small_store, tmp_path):
    from store.errors import NothingToUndo

    kim, pat = contact_id(small_store, "Kim Key"), contact_id(small_store, "Pat Prospect")
    start = small_store.generation()
    small_store.backup(tmp_path / "b1.db")
    small_store.set_status([pat], "s")  # an ordinary change keeps the generation
    assert small_store.generation() == start
    small_store.restore(tmp_path / "b1.db", backup_dir=tmp_path)
    assert small_store.generation() == start + 1
    # a backup taken now and restored later still moves it on (not back to its own value)
    small_store.backup(tmp_path / "b2.db")
    small_store.restore(tmp_path / "b2.db", backup_dir=tmp_path)
    assert small_store.generation() == start + 2
    # an id with the wrong contact is refused, and the row stays
    call = small_store.log_outcome(kim, "call", "reached")
    with pytest.raises(NothingToUndo):
        small_store.delete_activity(call, pat)
    [snooze] = small_store.snooze(kim, date(2026, 12, 10), ["call"])
    with pytest.raises(NothingToUndo):
        small_store.delete_snoozes([snooze], pat)
    rows = "SELECT count(*) FROM {} WHERE id = ?"
    assert small_store.conn.execute(rows.format("activities"), [call]).fetchone()[0] == 1
    assert small_store.conn.execute(rows.format("snoozes"), [snooze]).fetchone()[0] == 1
    small_store.delete_activity(call, kim)
    small_store.delete_snoozes([snooze], kim)
    assert small_store.conn.execute(rows.format("activities"), [call]).fetchone()[0] == 0
    assert small_store.conn.execute(rows.format("snoozes"), [snooze]).fetchone()[0] == 0


def test_a_purged_contact_id_is_never_given_to_a_newcomer(small_store, tmp_path):
    """SQLite numbers a new row max(id) + 1: purging the newest contacts
    used to hand their ids to the next ones added, by import or by hand."""
    newest = max(c["id"] for c in small_store.contacts())
    small_store.set_status([newest], "d")
    small_store.purge(backup_dir=tmp_path)
    added = small_store.add_contact({"name": "Nia New", "emails": [{"type": "work", "value": "nia@x.test"}]})
    assert added == newest + 1
    small_store.set_status([added], "d")
    small_store.purge(backup_dir=tmp_path)
    path = tmp_path / "one.csv"
    path.write_text("Name,E-mail\nOla Other,ola@x.test\n")
    import_file(small_store, path)
    [ola] = [c["id"] for c in small_store.contacts() if c["name"] == "Ola Other"]
    assert ola == newest + 2
