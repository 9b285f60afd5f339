"""Property tests: random and mangled CSV and vCard text never crash the
importer with anything but a clear StoreError, never leave a partial import,
and importing the same file twice adds nothing."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from store import Store, StoreError, import_file

TODAY = date(2026, 12, 3)

HEADERS = ["Contact", "Name", "First Name", "Last Name", "Company", "E-mail", "Email Address",
           "Phone", "Mobile Phone", "ID/Status", "Last Reach", "Create Date", "Notes", "City",
           "E-mail 1 - Type", "E-mail 1 - Value", "Connected On", ""]
CELLS = st.one_of(
    st.sampled_from(["Ann Lee", "ann@x.test", "ANN@X.TEST", "555-0100", "(415) 555-0100",
                     "+1 415 555 0100", "Prospect", "Key Clients", "Prosp.", "1/2/2024",
                     "13/02/2024", "2024-02-30", "12 Mar 2021", "1/1/0001", "12/31/9999",
                     "Zoë Müller", "Acme", "", " ", "\x1b[31mred", "[bold]x[/]"]),
    st.text(max_size=30),
)
SEPARATORS = st.sampled_from([",", ";", "\t", "|"])
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"])


@st.composite
def csv_text(draw) -> bytes:
    sep = draw(SEPARATORS)
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8))
    rows = draw(st.lists(st.lists(CELLS, min_size=0, max_size=10), max_size=8))

    def cell(value: str) -> str:
        if draw(st.booleans()) or any(ch in value for ch in (sep, '"', "\n", "\r")):
            return '"' + value.replace('"', '""') + '"'
        return value

    lines = [sep.join(cell(h) for h in header)] + [sep.join(cell(c) for c in r) for r in rows]
    text = draw(st.sampled_from(["\r\n", "\n"])).join(lines)
    data = text.encode(draw(ENCODINGS), errors="replace")
    return _mangle(draw, data)


CARD = ("BEGIN:VCARD\r\nVERSION:{v}\r\nN:Lee;Ann;;;\r\nFN:{fn}\r\nEMAIL;TYPE=work:{email}\r\n"
        "TEL;TYPE=cell:{tel}\r\nORG:{org}\r\nNOTE;ENCODING=QUOTED-PRINTABLE:caf=C3=A9 =\r\nnote\r\n"
        "item1.ADR;type=HOME:;;1 Main St;Town;;12345;Country\r\nitem1.X-ABLabel:Summer\r\n"
        "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQ\r\n AAAQABAAD\r\nEND:VCARD\r\n")


@st.composite
def vcard_text(draw) -> bytes:
    cards = []
    for _ in range(draw(st.integers(1, 4))):
        cards.append(CARD.format(
            v=draw(st.sampled_from(["2.1", "3.0", "4.0"])),
            fn=draw(st.sampled_from(["Ann Lee", "Bo Bell", "", "Zoë"]) | st.text(max_size=12)),
            email=draw(st.sampled_from(["ann@x.test", "bo@x.test", ""]) | st.text(max_size=12)),
            tel=draw(st.sampled_from(["+1 415 555 0100", "0171 555", ""]) | st.text(max_size=12)),
            org=draw(st.text(max_size=12))))
    data = "".join(cards).encode(draw(ENCODINGS), errors="replace")
    return _mangle(draw, data)


def _mangle(draw, data: bytes) -> bytes:
    """Cut, duplicate, or splice random bytes into the text."""
    for _ in range(draw(st.integers(0, 3))):
        if not data:
            break
        op = draw(st.sampled_from(["cut", "insert", "truncate", "dup"]))
        at = draw(st.integers(0, len(data)))
        if op == "cut":
            data = data[:at] + data[at + draw(st.integers(1, 20)):]
        elif op == "insert":
            data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
        elif op == "truncate":
            data = data[:at]
        else:
            data = data + data[at:]
    return data


def _snapshot(s: Store):
    return ([tuple(r) for r in s.conn.execute("SELECT * FROM contacts ORDER BY id")],
            [tuple(r) for r in s.conn.execute("SELECT * FROM activities ORDER BY id")],
            [tuple(r) for r in s.conn.execute("SELECT * FROM status_map ORDER BY raw_norm")])


def _check(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(data)
        store = Store(Path(tmp) / "p.db", today=TODAY)
        try:
            import_file(store, _seed(Path(tmp)))
            before = _snapshot(store)
            count = store.count_contacts()
            try:
                report = import_file(store, path)
            except StoreError as exc:
                assert str(exc).strip() and "\n" not in str(exc).strip()
                assert _snapshot(store) == before  # nothing written
                return
            assert store.count_contacts() == count + report.added
            assert not store.conn.in_transaction
            after = _snapshot(store)
            again = import_file(store, path)
            assert again.added == 0
            assert _snapshot(store) == after  # the same file twice changes nothing
        finally:
            store.close()


def _seed(tmp: Path) -> Path:
    path = tmp / "seed.csv"
    path.write_text("Contact,E-mail,Phone,ID/Status\r\nSeed Person,seed@x.test,555-0199,Prospect\r\n")
    return path


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(csv_text())
def test_random_csv_never_crashes_or_half_imports(data):
    _check(data, ".csv")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(vcard_text())
def test_random_vcards_never_crash_or_half_import(data):
    _check(data, ".vcf")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_random_bytes_never_crash(data):
    _check(data, ".csv")


@settings(max_examples=200, deadline=None)
@given(st.one_of(
    st.dictionaries(st.text(), st.text()),
    st.lists(st.dictionaries(st.text(), st.text()), max_size=4),
))
def test_fast_json_matches_json_dumps(value):
    import json

    from store.importer import _json

    assert _json(value) == json.dumps(value, ensure_ascii=False)
