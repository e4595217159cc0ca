"""Reading an import file a block at a time, so that no file is ever held whole in memory
(decision 0034): the bytes (gunzipped when the file is gzip), their text, and JSON values one at
a time from a top-level array or object.

Errors are the same as when a file was read whole: a missing or unreadable file, broken gzip,
text that is not UTF-8, and JSON's own message with its line and column, as ImportFileError.
"""

from __future__ import annotations

import codecs
import gzip
import json
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _

from trygg.events.importers.common import ImportFileError

BLOCK_BYTES = 1 << 20
# A JSON value shorter than this (a number, true, null) is never cut by the end of a block.
LOOKAHEAD = 64
# An error this close to the end of what is read may only mean the value goes on.
NEAR_END = 16

_BLANK = re.compile(r"[ \t\n\r]*")


def open_bytes(path: str | Path) -> BinaryIO:
    """The file opened for reading, gunzipped when it is gzip (by its magic bytes, not its
    name). Reading a broken gzip file raises ImportFileError (see `read_block`)."""
    path = Path(path)
    try:
        handle = open(path, "rb")  # noqa: SIM115 -- the caller closes it
    except FileNotFoundError:
        raise ImportFileError(_("filen %(path)s finns inte") % {"path": path}) from None
    except IsADirectoryError:
        raise ImportFileError(_("%(path)s är en katalog, inte en fil") % {"path": path}) from None
    except OSError as exc:
        raise ImportFileError(
            _("filen %(path)s kan inte läsas: %(reason)s") % {"path": path, "reason": exc.strerror}
        ) from None
    if handle.peek(2)[:2] == b"\x1f\x8b":
        handle.close()
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return handle


def read_block(binary: BinaryIO, path: str | Path, size: int = BLOCK_BYTES) -> bytes:
    try:
        return binary.read(size)
    except (OSError, EOFError, zlib.error) as exc:
        raise ImportFileError(
            _("filen %(path)s är en trasig gzip-fil: %(reason)s") % {"path": path, "reason": exc}
        ) from None


def byte_blocks(path: str | Path) -> Iterator[bytes]:
    """The file's (gunzipped) bytes, a block at a time."""
    binary = open_bytes(path)
    try:
        while block := read_block(binary, path):
            yield block
    finally:
        binary.close()


class TextBlocks:
    """The file's text, decoded a block at a time. A byte that is not valid in the encoding is
    named by its position in the (gunzipped) file, as when the file was decoded whole."""

    def __init__(self, path: str | Path, encoding: str = "utf-8-sig", name: str | None = None):
        self.path = path
        self.name = name or Path(path).name
        self.encoding = encoding
        self._binary = open_bytes(path)
        self._decoder = codecs.getincrementaldecoder(encoding)()
        self._offset = 0  # bytes given to the decoder so far
        self._done = False

    def read(self) -> str:
        """The next block of text; "" at the end."""
        while not self._done:
            data = read_block(self._binary, self.path)
            pending = len(self._decoder.getstate()[0])
            try:
                text = self._decoder.decode(data, final=not data)
            except UnicodeDecodeError as exc:
                self.close()
                raise ImportFileError(
                    _("%(name)s är inte UTF-8-kodad (byte %(pos)s)")
                    % {"name": self.name, "pos": self._offset - pending + exc.start}
                ) from None
            self._offset += len(data)
            if not data:
                self.close()
            if text:
                return text
        return ""

    def close(self) -> None:
        if not self._done:
            self._done = True
            self._binary.close()


class JsonText:
    """JSON text read a block at a time and taken a value at a time.

    `raw_decode` (json's C scanner) decodes each value; a value cut by the end of a block is
    decoded again once the next block is read. What is consumed is dropped, so memory holds
    about one block however large the file. Messages name the line and column in the file, as
    json.loads does for a whole document.
    """

    def __init__(self, blocks: TextBlocks):
        self.blocks = blocks
        self.name = blocks.name
        self._buf = ""
        self._pos = 0
        self._eof = False
        self._base = 0  # index in the file's text of _buf[0]
        self._lines = 0  # newlines before _buf
        self._last_newline = -1  # index in the file's text of the last newline before _buf
        self._decoder = json.JSONDecoder()

    def _more(self) -> bool:
        """Read the next block, dropping what is consumed; False at the end of the file."""
        if self._eof:
            return False
        text = self.blocks.read()
        if not text:
            self._eof = True
            return False
        buf, pos = self._buf, self._pos
        newlines = buf.count("\n", 0, pos)
        if newlines:
            self._lines += newlines
            self._last_newline = self._base + buf.rfind("\n", 0, pos)
        self._base += pos
        self._buf = buf[pos:] + text
        self._pos = 0
        return True

    def peek(self) -> str:
        """The next character that is not blank, not consumed; "" at the end of the file."""
        while True:
            self._pos = _BLANK.match(self._buf, self._pos).end()  # type: ignore[union-attr]
            if self._pos < len(self._buf):
                return self._buf[self._pos]
            if not self._more():
                return ""

    def take(self, char: str) -> None:
        """Consume `char`, the character peek() just returned."""
        self._pos += len(char)

    def value(self) -> object:
        self.peek()
        while len(self._buf) - self._pos < LOOKAHEAD and self._more():
            pass
        while True:
            try:
                value, end = self._decoder.raw_decode(self._buf, self._pos)
            except json.JSONDecodeError as exc:
                cut = exc.pos >= len(self._buf) - NEAR_END or exc.msg.startswith("Unterminated")
                if cut and self._more():
                    continue
                raise self.error(exc.msg, exc.pos) from None
            self._pos = end
            return value

    def error(self, message: str, pos: int | None = None) -> ImportFileError:
        """JSON's message at `pos` in what is read (default: here), with line and column."""
        pos = self._pos if pos is None else pos
        newline = self._buf.rfind("\n", 0, pos)
        line = self._lines + self._buf.count("\n", 0, pos) + 1
        column = pos - newline if newline >= 0 else self._base + pos - self._last_newline
        self.close()
        return ImportFileError(
            _("%(name)s är inte giltig JSON: %(reason)s (rad %(line)s, kolumn %(col)s)")
            % {"name": self.name, "reason": message, "line": line, "col": column}
        )

    def expect_value(self) -> str:
        """The first character of the next value; a JSON error if there is none."""
        char = self.peek()
        if not char or char not in '{["-0123456789tfn':
            raise self.error("Expecting value")
        return char

    def array_items(self) -> Iterator[object]:
        """The elements of the array that starts here, one at a time."""
        self.take(self.peek())  # "["
        if self.peek() == "]":
            self.take("]")
            return
        while True:
            yield self.value()
            char = self.peek()
            if char == ",":
                self.take(char)
            elif char == "]":
                self.take(char)
                return
            else:
                raise self.error("Expecting ',' delimiter")

    def object_members(self) -> Iterator[str]:
        """The keys of the object that starts here, one at a time; after each, the caller
        takes its value (`value()`, or `array_items()` to stream it)."""
        self.take(self.peek())  # "{"
        if self.peek() == "}":
            self.take("}")
            return
        while True:
            if self.peek() != '"':
                raise self.error("Expecting property name enclosed in double quotes")
            key = self.value()
            if self.peek() != ":":
                raise self.error("Expecting ':' delimiter")
            self.take(":")
            self.expect_value()
            yield str(key)
            char = self.peek()
            if char == ",":
                self.take(char)
            elif char == "}":
                self.take(char)
                return
            else:
                raise self.error("Expecting ',' delimiter")

    def end(self) -> None:
        """Nothing but blanks may follow the document."""
        if self.peek():
            raise self.error("Extra data")
        self.close()

    def close(self) -> None:
        self.blocks.close()


def json_text(path: str | Path, name: str | None = None) -> JsonText:
    """The file's JSON, UTF-8 with or without a byte-order mark (common in Swedish open data)."""
    return JsonText(TextBlocks(path, "utf-8-sig", name))
