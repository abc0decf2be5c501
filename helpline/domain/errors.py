"""The one exception hierarchy of the helpline package."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class HelplineError(Exception):
    """Base of every error the helpline raises on purpose."""


class DataFileError(HelplineError):
    """One or more data files are invalid; `problems` reads `file:line: field: message`."""

    def __init__(self, path: Path | str, problems: Sequence[str]) -> None:
        self.path = Path(path)
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))


class InvalidTransition(HelplineError):
    """A state change that the domain does not allow (a call ended twice, say)."""


class ConfigurationError(HelplineError):
    """Settings that stop the service from starting safely."""
