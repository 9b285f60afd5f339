"""Search through the trigram index (schema step m006_fts) finds exactly what
a plain substring scan finds, and the index follows every kind of write."""

from __future__ import annotations

import random

import pytest

from store import Store
from store.importer import ImportReport, import_records

from conftest import TODAY, make_record

NAMES = ["Anna Berg", "Jürgen Müller", "Zoë O'Brien", "José García", "Łukasz Kowalski",
         "Ann Annan", "Hiro Tanaka", "Renée Dubois", "Pål Østergaard", "Kim Key"]
COMPANIES = ["Acme", "Bolt & Nut", "Café Ørsted", "Müller GmbH", "", "Straße AG"]
PHONES = ["(212) 555-0101", "+1 303 555 0199", "415.555.0142", "555 0101", ""]


def scan(store: Store, query: str) -> list[int]:
    """Second method: every contact whose stored search text holds every word
    (words folded as the search folds them: no case, no accents, phone-like
    words as digits), checked in Python over the whole table."""
    from store.db import search_words

    words = search_words(query)
    rows = store.conn.execute("SELECT id, search_text FROM contacts").fetchall()
    return sorted(r["id"] for r in rows if all(w in r["search_text"] for w in words))


def found(store: Store, query: str) -> list[int]:
    ids = sorted(c["id"] for c in store.contacts(search=query))
    assert store.count_contacts(search=query) == len(ids)
    return ids


def index_ok(store: Store) -> None:
    # FTS5 compares an external-content index with the table it indexes
    store.conn.execute("INSERT INTO contacts_fts (contacts_fts) VALUES ('integrity-check')")
    assert store.conn.execute("SELECT count(*) FROM contacts_fts_pending").fetchone()[0] == 0


@pytest.fixture
def crowd(tmp_path) -> Store:
    rng = random.Random(6)
    store = Store(tmp_path / "crowd.db", today=TODAY)
    records = []
    for i in range(300):
        name = rng.choice(NAMES)
        records.append(make_record(i + 2, f"{name} {i}", company=rng.choice(COMPANIES),
                                   email=f"{name.split()[0].lower()}{i}@example.org",
                                   phone=rng.choice(PHONES)))
    import_records(store, records, ImportReport(file="test"))
    yield store
    store.close()


def test_index_search_equals_scan(crowd):
    rng = random.Random(7)
    texts = [r[0] for r in crowd.conn.execute("SELECT search_text FROM contacts")]
    queries = ["anna", "ann", "an", "a", "müller", "MÜLLER", "strasse", "straße", "0101",
               "5550101", "555-01", "o'brien", "café ørs", "example.org", "berg 12",
               "nobody", "zz", '"', 'an"na', "a*", "and", "AND OR", "NEAR(ann)", "-ann",
               "ann:", "(212)", "^ann", "kim key 9"]
    for _ in range(60):  # substrings of stored text, 1 to 8 characters
        text = rng.choice(texts)
        start = rng.randrange(len(text))
        queries.append(text[start:start + rng.randint(1, 8)])
    assert found(crowd, "anna")  # the corpus really has matches
    for query in queries:
        if query.strip():
            assert found(crowd, query) == scan(crowd, query), query
    index_ok(crowd)


def test_index_follows_updates_deletes_and_stray_writes(crowd, tmp_path):
    kim = crowd.contacts(search="kim key")[0]
    # a re-import that adds an e-mail changes the contact's search text
    rec = make_record(2, kim["name"], company=kim["company"] or "", email=kim["email"])
    rec.emails.append({"type": "personal", "value": "zebra.crossing@home.test"})
    import_records(crowd, [rec], ImportReport(file="again"))
    assert [c["id"] for c in crowd.contacts(search="zebra.cross")] == [kim["id"]]
    assert kim["id"] in found(crowd, kim["email"])
    index_ok(crowd)

    # a delete (purge is another branch's work; any DELETE goes through the same trigger)
    with crowd.transaction() as conn:
        conn.execute("DELETE FROM contacts WHERE id = ?", [kim["id"]])
    assert found(crowd, "zebra") == []
    index_ok(crowd)

    # a write made outside Store.transaction() is still found at once...
    other = crowd.contacts(search="hiro")[0]
    crowd.conn.execute("UPDATE contacts SET search_text = search_text || ' quokka' WHERE id = ?",
                       [other["id"]])
    assert found(crowd, "quokka") == [other["id"]] == scan(crowd, "quokka")
    # ...and indexed by the next transaction
    crowd.log(other["id"], "note", None, note="seen")
    index_ok(crowd)
    assert found(crowd, "quokka") == [other["id"]]


def test_failed_transaction_leaves_index_as_it_was(crowd):
    before = found(crowd, "anna")
    with pytest.raises(RuntimeError):
        with crowd.transaction() as conn:
            conn.execute("UPDATE contacts SET search_text = 'walrus'")
            raise RuntimeError("boom")
    assert found(crowd, "walrus") == []
    assert found(crowd, "anna") == before
    index_ok(crowd)


def test_search_pages_keep_name_order(crowd):
    everything = crowd.contacts(search="ann")
    assert [c["id"] for c in everything] == [
        c["id"] for c in crowd.contacts() if c["id"] in {e["id"] for e in everything}]
    pages = crowd.contacts(search="ann", limit=7) + crowd.contacts(search="ann", offset=7, limit=7)
    assert [c["id"] for c in pages] == [c["id"] for c in everything[:14]]


def test_pages_equal_the_sorted_scan_at_any_offset(crowd):
    """Pages come from walking the name index or from sorting the matches,
    whichever is cheaper for the query and offset; both give the scan's order."""
    rows = crowd.conn.execute("SELECT id, sort_name FROM contacts").fetchall()
    order = [r["id"] for r in sorted(rows, key=lambda r: (r["sort_name"], r["id"]))]
    for query in ("a", "ann", "anna berg", "example.org", "müller 1", "0101", "nobody"):
        expected = [i for i in order if i in set(scan(crowd, query))]
        for offset in (0, 3, 40, 150, 290):
            page = [c["id"] for c in crowd.contacts(search=query, offset=offset, limit=7)]
            assert page == expected[offset:offset + 7], (query, offset)
        assert [c["id"] for c in crowd.contacts(search=query)] == expected


def test_a_count_can_stop_early_and_a_page_is_the_same_either_way(crowd, monkeypatch):
    every = scan(crowd, "example.org")  # in every contact: the frequent case
    assert len(every) == 300
    assert crowd.count_contacts(search="example.org", at_most=50) == 50
    assert crowd.count_contacts(search="example.org", at_most=1000) == 300
    assert crowd.count_contacts(search="zz", at_most=5) == crowd.count_contacts(search="zz") == 0
    assert crowd.count_contacts(search="anna", status="k", at_most=3) <= 3
    # a page of a frequent match walks the name order checking each row; a
    # rare one sorts the index's matches: both give the rows a full listing has
    listing = [c["id"] for c in crowd.contacts(search="example.org")]
    for offset in (0, 7, 290):
        page = [c["id"] for c in crowd.contacts(search="example.org", offset=offset, limit=10)]
        assert page == listing[offset:offset + 10]
    import store.db as db

    monkeypatch.setattr(db, "SEARCH_COUNT_CAP", 2)  # the choice made on a stopped count
    assert [c["id"] for c in crowd.contacts(search="example.org", limit=10)] == listing[:10]


def test_search_text_folds_as_the_whole_text_would(crowd):
    """Folding each part and joining equals folding the joined text (the
    stored search keys of every earlier database stay valid)."""
    import unicodedata

    from store.db import search_text

    def whole(fields, phones):  # the rule written out: join, then fold
        import re

        parts = [f for f in fields if f]
        for phone in phones:
            parts += [phone] + ([re.sub(r"\D+", "", phone)] if re.sub(r"\D+", "", phone) else [])
        text = unicodedata.normalize("NFKD", " ".join(parts).casefold().translate(
            str.maketrans({"ø": "o", "ł": "l", "đ": "d", "æ": "ae", "œ": "oe", "þ": "th", "ı": "i"})))
        return "".join(ch for ch in text if not unicodedata.combining(ch))

    samples = [(("Zoë Ångström", "Café Ørsted", "zoe@x.test"), ["+44 (0)20 7946 0958"]),
               (("ΣΊΣΥΦΟΣ ßtraße", None, "Ａｂｃ"), []),
               (("e\u0301 \u0301x", "ﬁne ﬀ", ""), ["٣٤٥"]),
               (("山田太郎", "ＡＣＭＥ\u00a0Corp", None), ["555\u20080101", "＋１ ５５５ ０１"])]
    for fields, phones in samples:
        assert search_text(fields, phones) == whole(fields, phones)
    for text in crowd.conn.execute("SELECT name, company, email FROM contacts LIMIT 50"):
        assert search_text(tuple(text), []) == whole(tuple(text), [])
