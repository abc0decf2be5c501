"""The data files as the running service sees them: reloaded when a coordinator edits them,
and kept as they were when an edit breaks them (every problem is logged as file:line)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from helpline.catalog import load_router
from helpline.domain.errors import DataFileError
from helpline.domain.routing import Router

log = logging.getLogger(__name__)
Signature = tuple[tuple[str, int, int], ...]


class LiveRouter:
    """Callable that returns the current Router; looks at the files at most every `interval`."""

    def __init__(
        self,
        partners_dir: Path,
        rules_file: Path,
        interval: float = 2.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.partners_dir, self.rules_file = partners_dir, rules_file
        self.interval, self.monotonic = interval, monotonic
        self._lock = threading.Lock()
        self._signature = self._files()
        self._router = load_router(partners_dir, rules_file)  # a broken start is refused
        self._checked = monotonic()

    def __call__(self) -> Router:
        now = self.monotonic()
        if now - self._checked >= self.interval and self._lock.acquire(blocking=False):
            try:
                self._checked = now
                self._reload_if_changed()
            finally:
                self._lock.release()
        return self._router

    def _files(self) -> Signature:
        paths = [*sorted(self.partners_dir.glob("*.yaml")), self.rules_file]
        stats = ((str(p), p.stat()) for p in paths if p.exists())
        return tuple((name, s.st_mtime_ns, s.st_size) for name, s in stats)

    def _reload_if_changed(self) -> None:
        signature = self._files()
        if signature == self._signature:
            return
        self._signature = signature
        try:
            self._router = load_router(self.partners_dir, self.rules_file)
        except DataFileError as exc:
            for line in exc.problems:
                log.error("data files not reloaded, the last good data stays in use: %s", line)
            return
        log.info("data files reloaded: %d partners", len(self._router.directory))
