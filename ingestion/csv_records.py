"""Count the records of a CSV file independently of DuckDB's CSV parser.

A parser that meets a stray quote can swallow thousands of lines into one malformed value and
still report success; counting what it returned cannot notice. This scan counts records from the
bytes alone: a newline ends a record exactly when an even number of quote characters precede it
(RFC 4180: quoted fields hold doubled quotes and newlines, unquoted fields hold no quotes). It is a
vectorized byte scan (numpy), a few seconds per GB, in fixed-size chunks.

Record numbering matches DuckDB's `line` in its rejects table: the header is record 1, and blank
lines count as records (the parser skips them, so they are not data records).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

CHUNK_BYTES = 16 << 20
# A quoted value may hold newlines (Airwars writes "Facebook\nArabic"), but no real value spans
# this many lines: a record that does is the parser swallowing records after a stray quote.
MAX_LINES_PER_RECORD = 100
QUOTE, NEWLINE, CARRIAGE_RETURN = ord('"'), ord("\n"), ord("\r")


@dataclass(frozen=True)
class RecordScan:
    ends: np.ndarray  # byte offset just past each record (header included), ascending
    start_lines: np.ndarray  # the physical line (1-based) each record starts on
    blank: np.ndarray  # True for a record that is an empty line
    open_quote_line: int | None  # physical line of a record whose quoted field never closes

    @property
    def data_records(self) -> int:
        """Records the parser must account for: all but the header and blank lines."""
        return max(0, len(self.ends) - 1 - int(self.blank[1:].sum()))

    def longest_record(self) -> tuple[int, int]:
        """(physical line it starts on, lines it spans) of the record spanning most lines."""
        if not len(self.ends):
            return 1, 0
        next_starts = np.append(self.start_lines[1:], self.start_lines[-1] + 1)
        spans = next_starts - self.start_lines
        longest = int(np.argmax(spans))
        return int(self.start_lines[longest]), int(spans[longest])

    def record_of(self, number: int) -> tuple[int, int]:
        """(start byte, end byte) of record `number` (1 = header)."""
        return (int(self.ends[number - 2]) if number > 1 else 0), int(self.ends[number - 1])


def scan_records(path: Path) -> RecordScan:
    ends: list[np.ndarray] = []
    lines: list[np.ndarray] = []
    quotes_before = 0  # quote characters before the current chunk
    lines_before = 0  # newlines before the current chunk
    offset = 0
    last_byte = NEWLINE
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            data = np.frombuffer(chunk, dtype=np.uint8)
            quote_at = np.flatnonzero(data == QUOTE)
            newline_at = np.flatnonzero(data == NEWLINE)
            parity = (quotes_before + np.searchsorted(quote_at, newline_at)) & 1
            closing = parity == 0
            ends.append(newline_at[closing] + offset + 1)
            # the line after each record-ending newline starts the next record
            lines.append((np.flatnonzero(closing) + lines_before + 2).astype(np.int32))
            quotes_before += len(quote_at)
            lines_before += len(newline_at)
            offset += len(data)
            last_byte = int(data[-1])
    all_ends = np.concatenate(ends) if ends else np.zeros(0, dtype=np.int64)
    del ends
    starts = np.concatenate([np.ones(1, dtype=np.int32), *lines])[: len(all_ends) + 1]
    del lines
    open_quote_line = None
    if offset and last_byte != NEWLINE:  # a last record without its newline
        if quotes_before & 1:
            open_quote_line = int(starts[len(all_ends)])
        else:
            all_ends = np.append(all_ends, offset)
    elif quotes_before & 1:
        open_quote_line = int(starts[len(all_ends)])
    lengths = np.diff(all_ends, prepend=0)
    blank = (lengths == 1) | ((lengths == 2) & _byte_is_cr(path, all_ends - 2, lengths == 2))
    return RecordScan(all_ends, starts[: len(all_ends)], blank, open_quote_line)


def _byte_is_cr(path: Path, positions: np.ndarray, where: np.ndarray) -> np.ndarray:
    """For two-byte records only: is the first byte a carriage return (an empty CRLF line)?"""
    out = np.zeros(len(positions), dtype=bool)
    if not where.any():
        return out
    mapped = np.memmap(path, dtype=np.uint8, mode="r")
    out[where] = mapped[positions[where]] == CARRIAGE_RETURN
    return out
