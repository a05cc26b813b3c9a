"""Errors the tool reports to a person.

    PolicygraphError
    └── IngestError      a file that cannot be read at all (empty, binary, undecodable, unsupported)

Each one carries the file and, where known, the line, and renders as one line for stderr.
"""

from __future__ import annotations


class PolicygraphError(Exception):
    """Base of every error meant for the user rather than a traceback."""


class IngestError(PolicygraphError):
    def __init__(self, path: str, message: str, line: int = 0) -> None:
        self.path = path
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"
