"""Input problems that stop a run, reported as one message naming file, line and field."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

# At most this many problems of one file are listed; the rest are counted (a 200 MB file of
# repeated rows must not print millions of lines).
MAX_LISTED = 50
MAX_MESSAGE = 400  # characters of one message (a value quoted from a file may be megabytes long)


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int | None
    field: str | None
    message: str

    def location(self) -> str:
        parts = []
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.field:
            parts.append(f"field '{self.field}'")
        return ", ".join(parts) if parts else "file"


class InputError(Exception):
    """One or more problems in input files; the message lists all of them, grouped by file."""

    def __init__(self, problems: list[Problem]):
        if not problems:
            raise ValueError("InputError needs at least one problem")
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.field or "", p.message))
        super().__init__(self.format())

    def format(self) -> str:
        blocks = []
        for file, probs in groupby(self.problems, key=lambda p: p.file):
            probs = list(probs)
            noun = "problem" if len(probs) == 1 else "problems"
            lines = [f"Invalid input in {file} ({len(probs)} {noun}):"]
            lines += [f"  {p.location()}: {_cut(p.message)}" for p in probs[:MAX_LISTED]]
            if len(probs) > MAX_LISTED:
                lines.append(f"  ... and {len(probs) - MAX_LISTED} more problems in this file (only the first {MAX_LISTED} are listed)")
            blocks.append("\n".join(lines))
        return "\n".join(blocks)


def _cut(message: str) -> str:
    if len(message) <= MAX_MESSAGE:
        return message
    return f"{message[:MAX_MESSAGE]}... ({len(message) - MAX_MESSAGE} more characters)"


def raise_if(problems: list[Problem]) -> None:
    if problems:
        raise InputError(problems)
