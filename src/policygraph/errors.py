"""Errors the tool reports to a person.

    PolicygraphError
    └── IngestError      a file that cannot be read at all (empty, binary, undecodable, unsupported)

Each one carries the file and, where known, the line, and renders as one line for stderr.
"""

from __future__ import annotations

import os


def shown(path: str | os.PathLike[str]) -> str:
    """A path as valid UTF-8 text, for messages and for a document's ``source``.

    A file name is bytes; Python keeps the bytes that are not UTF-8 as lone surrogates, which
    cannot be written to a UTF-8 stream or file (a traceback, or raw bytes in JSON). Those bytes are
    shown as ``\\xNN`` escapes instead, and every readable character (Chinese included) stays as it is."""
    try:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    except UnicodeError:  # a surrogate that did not come from a file name
        return os.fspath(path).encode("utf-8", "backslashreplace").decode("utf-8")


class PolicygraphError(Exception):
    """Base of every error meant for the user rather than a traceback."""


class IngestError(PolicygraphError):
    def __init__(self, path: str | os.PathLike[str], message: str, line: int = 0) -> None:
        self.path = shown(path)
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"
