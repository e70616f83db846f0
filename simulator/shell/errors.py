"""The shell layer's error for files a machine cannot read or write."""

from __future__ import annotations


class FileError(Exception):
    """A file that cannot be read or written.

    `str()` is `PATH: REASON` (what bash prints after `bash: `); tools word
    their own messages from `path` and `reason`.
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
