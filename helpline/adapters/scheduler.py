"""APScheduler 3 with its jobs in the database; each job calls one service.

Web workers only write jobs (the scheduler is started paused there); the one `helpline
scheduler` process runs them. Jobs name module-level functions and take plain ids.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from sqlalchemy import Engine

from helpline.services import callbacks
from helpline.services.calls import VoiceLine

log = logging.getLogger(__name__)


@dataclass
class _Context:
    line: VoiceLine | None = None
    public_url: str = ""
    retention: timedelta = timedelta(days=30)


_context = _Context()


def configure(line: VoiceLine, public_url: str, retention: timedelta) -> None:
    """Give the job functions the line they act on (called once per process)."""
    _context.line, _context.public_url, _context.retention = line, public_url, retention


def _line() -> VoiceLine:
    if _context.line is None:
        raise RuntimeError("scheduler jobs run before configure()")
    return _context.line


def run_callback(promise_id: int) -> None:
    callbacks.place_callback(_line(), promise_id, _context.public_url)


def run_missed_check() -> None:
    callbacks.flag_missed_callbacks(_line())


def run_transcript_purge() -> None:
    count = callbacks.purge_transcripts(_line(), _context.retention)
    log.info("purged %d transcripts", count)


class DatabaseScheduler:
    """The CallbackScheduler port; jobs live in the `apscheduler_jobs` table."""

    def __init__(self, engine: Engine, scheduler: BaseScheduler | None = None) -> None:
        self.scheduler = scheduler or BackgroundScheduler(timezone="UTC")
        self.scheduler.add_jobstore(SQLAlchemyJobStore(engine=engine), "default")

    def start(self, paused: bool) -> None:
        if self.scheduler.running:
            return
        self.scheduler.start(paused=paused)
        if not paused:
            self.scheduler.add_job(
                run_missed_check,
                "interval",
                minutes=5,
                id="missed-callbacks",
                replace_existing=True,
            )
            self.scheduler.add_job(
                run_transcript_purge,
                "interval",
                hours=6,
                id="purge-transcripts",
                replace_existing=True,
            )

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    def schedule_callback(self, promise_id: int, at: datetime) -> None:
        self.start(paused=True)  # web workers write jobs; `helpline scheduler` runs them
        self.scheduler.add_job(
            run_callback,
            "date",
            run_date=at,
            args=[promise_id],
            id=f"callback-{promise_id}",
            replace_existing=True,
            misfire_grace_time=int(callbacks.GRACE.total_seconds()),
        )

    def pending(self) -> list[tuple[str, datetime]]:
        return [(job.id, job.next_run_time) for job in self.scheduler.get_jobs()]
