"""Opening an input file: refusing what is not a regular text file, finding
its encoding, and handing out its text line by line.

Encoding rules (README, "Encodings"):

- a byte-order mark decides (UTF-8, UTF-16 LE/BE, UTF-32); the mark itself
  never reaches the text, so it cannot end up in the first header;
- UTF-16 without a mark is recognised by its zero bytes;
- otherwise every line is checked as UTF-8.  A file that is all UTF-8 is
  UTF-8.  A file where some lines are UTF-8 and others are not (a few rows
  pasted from a Windows program) is read line by line: UTF-8 lines as UTF-8,
  the others as Windows-1252, each such line reported as a warning — one bad
  line never garbles the rest;
- a file with no UTF-8 at all is a legacy 8-bit file: charset-normalizer
  picks the code page, Windows-1252 winning ties (Act!, Outlook and Excel on
  Western Windows write it);
- ``--encoding`` overrides all of this; a line that does not decode with it
  is an error naming the line.

Binary content is refused wherever it is: a NUL byte, or a line where
control characters make up a tenth or more (at least four of them).

A vCard writer may fold a long line in the middle of a multi-byte UTF-8
character (``FN:Zo\xc3`` CRLF `` \xab``).  Before any of the above, such a
split character is mended at the byte level: its first bytes move past the
fold to join the rest (see :func:`_mend_folds`), so every line is whole UTF-8
again, the unfolded text is byte for byte the same, and line numbers do
not move.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..errors import StoreError
from .values import DateEvidence

CHUNK = 1 << 20
# bytes that count as control characters in a text line (tab, LF, CR
# excluded, and ESC: colour codes pasted into a name are text to clean,
# not binary junk)
_CONTROL = bytes([*range(0, 9), 11, 12, *range(14, 27), *range(28, 32), 127])
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL)

MAGIC = [
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x89PNG", "a PNG image"),
    (b"%PDF", "a PDF document"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "a program"),
]
OLD_OFFICE = b"\xd0\xcf\x11\xe0"  # .xls, .doc: readable once saved in a newer format


@dataclass
class Source:
    """An opened input: its path, first bytes and (for text) how to decode it."""

    path: Path
    label: str
    size: int
    head: bytes
    kind: str = "text"  # "text" or "xlsx"
    encoding: str = ""  # codec name used
    encoding_label: str = ""  # what the report shows
    mixed: bool = False  # per-line UTF-8 / cp1252
    guessed: bool = False  # a code page worked out from the bytes (not UTF-8, no BOM)
    fallback: str = "cp1252"
    bom: int = 0
    bad_lines: list[int] = field(default_factory=list)  # lines that are not UTF-8
    utf8_lines: int = 0  # lines with non-ASCII UTF-8 text
    sample: bytes = b""  # some non-UTF-8 lines, for code-page detection
    evidence: DateEvidence = field(default_factory=DateEvidence)
    lines_total: int = 0
    data: bytes | None = None  # the content, when it differs from the file's (mended folds)

    def open(self):
        """The content as a binary file object."""
        if self.data is not None:
            return io.BytesIO(self.data)
        return open(self.path, "rb")

    def error(self, message: str, line: int | None = None) -> StoreError:
        where = f"line {line}: " if line else ""
        return StoreError(f"{self.label}: {where}{message}")


def open_source(path, encoding: str | None = None) -> Source:
    """Check the file and work out its encoding (one pass over the bytes)."""
    label = str(path)
    p = Path(path)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise StoreError(f"{label}: no such file") from None
    except NotADirectoryError:
        raise StoreError(f"{label}: no such file") from None
    except OSError as exc:
        raise StoreError(f"{label}: cannot read ({exc.strerror})") from None
    if stat.S_ISDIR(st.st_mode):
        raise StoreError(f"{label}: is a directory, not a file")
    if not stat.S_ISREG(st.st_mode):
        kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(st.st_mode)
                else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
                else "a socket" if stat.S_ISSOCK(st.st_mode) else "not a regular file")
        raise StoreError(f"{label}: is {kind}; only regular files can be imported")
    try:
        with open(p, "rb") as fh:
            head = fh.read(8192)
    except OSError as exc:
        raise StoreError(f"{label}: cannot read ({exc.strerror})") from None
    src = Source(p, label, st.st_size, head)
    if not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        if st.st_size <= len(head):
            raise src.error("the file is empty")
    if head.startswith(b"PK\x03\x04"):
        src.kind = "zip"
        return src
    if head.startswith(OLD_OFFICE):
        raise src.error("this is an old-style Excel or Word file (.xls or .doc), which cannot "
                        "be imported: save it as .xlsx or CSV and import that")
    for magic, what in MAGIC:
        if head.startswith(magic):
            raise src.error(f"this is {what}, a binary file, not a contact export")
    if not _codec_name(encoding).startswith(("utf-16", "utf-32")):
        _mend_folds(src)
    if encoding:
        _use_encoding(src, encoding)
    else:
        _detect(src)
    return src


def _codec_name(encoding: str | None) -> str:
    try:
        return codecs.lookup(encoding).name if encoding else ""
    except LookupError:
        return ""  # reported by _use_encoding


_VCARD_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*BEGIN:VCAR", re.I)
# the first bytes of a UTF-8 character, a fold (line break + space or tab),
# and the character's remaining bytes
_SPLIT_FOLD = re.compile(rb"([\xc2-\xf4][\x80-\xbf]{0,2})(\r\n|\n|\r)([ \t])(?=[\x80-\xbf])")


def _mend_folds(src: Source) -> None:
    """In a vCard, move the first bytes of a character that a fold split to
    after the fold: ``Zo\xc3`` CRLF `` \xab`` becomes ``Zo`` CRLF `` \xc3\xab``.
    Unfolding gives the same bytes either way; now each line decodes."""
    if not _VCARD_START.match(src.head):
        return
    try:
        data = src.path.read_bytes()
    except OSError as exc:
        raise src.error(f"cannot read ({exc.strerror})") from None
    if not _SPLIT_FOLD.search(data):
        return
    for _ in range(4):  # a character split over several folds moves one fold a pass
        data, moved = _SPLIT_FOLD.subn(rb"\2\3\1", data)
        if not moved:
            break
    src.data = data
    src.head = data[:8192]


def _use_encoding(src: Source, name: str) -> None:
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise StoreError(f"unknown encoding {name!r} (try utf-8, cp1252, latin-1, utf-16)") from None
    if not getattr(info, "_is_text_encoding", True) or info.name in ("rot-13", "idna", "punycode"):
        # Python's codecs also hold transforms (base64, zlib, rot13) and the
        # domain-name codecs: none is how a file's text is written
        raise StoreError(f"{name!r} is not a text encoding (try utf-8, cp1252, latin-1, utf-16)")
    src.encoding = info.name
    src.encoding_label = info.name
    if info.name.startswith(("utf-16", "utf-32")):
        _scan_wide(src)
        return
    if info.name == "utf-8" and src.head.startswith(codecs.BOM_UTF8):
        src.encoding = "utf-8-sig"
    _scan_bytes(src, check_utf8=False)


def _detect(src: Source) -> None:
    head = src.head
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if head.startswith(bom):
            src.encoding = enc
            src.encoding_label = {"utf-8-sig": "utf-8 (BOM)"}.get(enc, enc if enc != "utf-16" else (
                "utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be"))
            if enc == "utf-8-sig":
                _scan_bytes(src, check_utf8=True)
                if src.bad_lines:
                    _mixed(src)
            else:
                _scan_wide(src)
            return
    sample = head[: len(head) - len(head) % 2]
    if len(sample) >= 4:
        even_zero = sum(1 for b in sample[0::2] if b == 0)
        odd_zero = sum(1 for b in sample[1::2] if b == 0)
        half = len(sample) // 2
        if even_zero > half * 0.3 and odd_zero < half * 0.05:
            src.encoding = src.encoding_label = "utf-16-be"
            _scan_wide(src)
            return
        if odd_zero > half * 0.3 and even_zero < half * 0.05:
            src.encoding = src.encoding_label = "utf-16-le"
            _scan_wide(src)
            return
    _scan_bytes(src, check_utf8=True)
    if not src.bad_lines:
        src.encoding = src.encoding_label = "utf-8"
        return
    if src.utf8_lines >= len(src.bad_lines):
        _mixed(src)
        return
    src.encoding = src.encoding_label = _legacy_codepage(src)
    src.guessed = True


def _mixed(src: Source) -> None:
    src.mixed = True
    src.encoding = "utf-8-sig" if src.head.startswith(codecs.BOM_UTF8) else "utf-8"
    src.encoding_label = "utf-8"


def _scan_bytes(src: Source, *, check_utf8: bool) -> None:
    """One pass over the raw lines: binary content, UTF-8 validity, date order
    evidence, a sample of non-ASCII lines for code-page detection."""
    bad: list[int] = []
    utf8_lines = 0
    sample: list[bytes] = []
    sample_size = 0
    line_no = 0
    evidence = src.evidence
    try:
        fh = src.open()
    except OSError as exc:
        raise src.error(f"cannot read ({exc.strerror})") from None
    with fh:
        pending = b""
        while True:
            chunk = fh.read(CHUNK)
            if not chunk:
                if pending:
                    chunk, pending = pending, b""
                else:
                    break
            else:
                chunk = pending + chunk
                cut = chunk.rfind(b"\n") + 1
                if cut == 0:
                    pending = chunk
                    if len(pending) < 64 * CHUNK:
                        continue
                    cut = len(chunk)
                chunk, pending = chunk[:cut], chunk[cut:]
            start = line_no + 1
            if b"\x00" in chunk:
                at = chunk.index(b"\x00")
                raise src.error(
                    "binary data (a NUL byte): this is not a text contact export; nothing was imported",
                    start + chunk.count(b"\n", 0, at))
            if len(chunk.translate(None, _NOT_CONTROL)) >= 4:
                _check_control_lines(src, chunk, start)
            evidence.feed(chunk, start)
            if check_utf8 and not chunk.isascii():
                try:
                    chunk.decode("utf-8")
                    utf8_lines += sum(1 for raw in chunk.split(b"\n") if not raw.isascii())
                except UnicodeDecodeError:
                    for offset, raw in enumerate(chunk.split(b"\n")):
                        if raw.isascii():
                            continue
                        try:
                            raw.decode("utf-8")
                            utf8_lines += 1
                        except UnicodeDecodeError:
                            bad.append(start + offset)
                            if sample_size < 200_000:
                                sample.append(raw)
                                sample_size += len(raw)
            line_no += chunk.count(b"\n")
    src.lines_total = line_no
    src.bad_lines = bad
    src.utf8_lines = utf8_lines
    src.sample = b"\n".join(sample)


def _wide_text(src: Source) -> str:
    try:
        data = src.path.read_bytes()
    except OSError as exc:
        raise src.error(f"cannot read ({exc.strerror})") from None
    try:
        text = data.decode(src.encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].decode(src.encoding, errors="replace").count("\n") + 1
        raise src.error(f"not valid {src.encoding_label.upper()} text", line) from None
    return text[1:] if text.startswith("\ufeff") else text


def _scan_wide(src: Source) -> None:
    """UTF-16/32 files are decoded whole (such exports are small) and checked
    like the byte scan does for 8-bit files."""
    text = _wide_text(src)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise src.error("binary data (a NUL character): this is not a text contact export; "
                        "nothing was imported", line)
    data = text.encode("utf-8")
    if len(data.translate(None, _NOT_CONTROL)) >= 4:
        _check_control_lines(src, data, 1)
    src.evidence.feed(data, 1)
    src.lines_total = text.count("\n")


def _check_control_lines(src: Source, chunk: bytes, start: int) -> None:
    for offset, raw in enumerate(chunk.split(b"\n")):
        controls = len(raw.translate(None, _NOT_CONTROL))
        if controls >= 4 and controls * 10 >= len(raw):
            raise src.error(
                f"binary data ({controls} control characters in {len(raw)} bytes): this line is "
                "not text; nothing was imported", start + offset)


def _legacy_codepage(src: Source) -> str:
    from charset_normalizer import from_bytes

    sample = src.sample
    results = list(from_bytes(sample)) if sample else []
    if not results:
        return "cp1252" if _decodes(sample, "cp1252") else "latin-1"
    best = results[0]
    for r in results:
        # coherence (language guessing) is unreliable on a few short names;
        # a code page that reads the bytes as cleanly as the best one is as
        # good, and Windows-1252 is by far the most common
        if r.chaos <= best.chaos + 0.02 and "cp1252" in r.could_be_from_charset and _decodes(sample, "cp1252"):
            return "cp1252"
    name = codecs.lookup(best.encoding).name
    return name


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
        return True
    except UnicodeDecodeError:
        return False


def _first_bad_line(src: Source) -> tuple[bytes, int]:
    """The first line that does not decode (the streaming decoder only
    knows the chunk)."""
    with src.open() as fh:
        for number, raw in enumerate(fh, 1):
            if number == 1 and src.encoding == "utf-8-sig":
                raw = raw.removeprefix(codecs.BOM_UTF8)
            try:
                raw.decode(src.encoding)
            except UnicodeDecodeError as exc:
                return raw[exc.start:exc.end], number
    return b"", 0


class _CountingReader(io.RawIOBase):
    """A raw file reader that counts the bytes it has read (for progress)."""

    def __init__(self, fh):
        self._fh = fh
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self._fh.readinto(buffer)
        self.count += n or 0
        return n

    def close(self) -> None:
        self._fh.close()
        super().close()


class TextLines:
    """Iterates the decoded lines of a text source (line endings kept) and
    tracks progress as a fraction of the file read."""

    def __init__(self, src: Source, report_warn=None):
        self.src = src
        self.done = 0.0
        self._warn = report_warn

    def progress(self) -> float:
        return self.done

    def __iter__(self) -> Iterator[str]:
        src = self.src
        if src.encoding.startswith(("utf-16", "utf-32")):
            yield from self._wide()
            return
        if not src.mixed:
            yield from self._stream()
            return
        enc = src.encoding
        size = max(src.size, 1)
        read = 0
        line_no = 0
        decode = codecs.getdecoder(enc if enc != "utf-8-sig" else "utf-8")
        try:
            fh = src.open()
        except OSError as exc:
            raise src.error(f"cannot read ({exc.strerror})") from None
        with fh:
            for raw in fh:
                line_no += 1
                read += len(raw)
                if line_no == 1 and raw.startswith(codecs.BOM_UTF8) and enc in ("utf-8", "utf-8-sig"):
                    raw = raw[3:]
                if (line_no & 1023) == 0:
                    self.done = read / size
                if raw.isascii():
                    yield raw.decode("ascii")
                    continue
                try:
                    yield decode(raw)[0]
                except UnicodeDecodeError as exc:
                    if src.mixed:
                        text = raw.decode(src.fallback, errors="replace")
                        if self._warn:
                            self._warn(line_no, f"not valid UTF-8 (bytes {raw[exc.start:exc.end + 1]!r}); "
                                                "read as Windows-1252 — check this line's accents")
                        yield text
                        continue
                    raise src.error(
                        f"cannot be read as {src.encoding_label} (bytes {raw[exc.start:exc.end]!r}); "
                        "choose another --encoding", line_no) from None
        self.done = 1.0

    def _stream(self) -> Iterator[str]:
        """One encoding for the whole file: decoded by io.TextIOWrapper (C
        speed); progress from the bytes the raw reader has handed over."""
        import io

        src = self.src
        try:
            raw = _CountingReader(open(src.path, "rb", buffering=0) if src.data is None
                                  else io.BytesIO(src.data))
        except OSError as exc:
            raise src.error(f"cannot read ({exc.strerror})") from None
        size = max(src.size, 1)
        text = io.TextIOWrapper(io.BufferedReader(raw, 1 << 16), encoding=src.encoding, newline="")
        line_no = 0
        with text:
            try:
                for line in text:
                    line_no += 1
                    if (line_no & 1023) == 0:
                        self.done = raw.count / size
                    yield line
            except UnicodeDecodeError:
                bad, where = _first_bad_line(src)
                raise src.error(
                    f"cannot be read as {src.encoding_label} (bytes {bad!r}); "
                    "choose another --encoding", where) from None
        self.done = 1.0

    def _wide(self) -> Iterator[str]:
        lines = _wide_text(self.src).splitlines(keepends=True)
        total = max(len(lines), 1)
        for i, line in enumerate(lines):
            if (i & 1023) == 0:
                self.done = i / total
            yield line
        self.done = 1.0
