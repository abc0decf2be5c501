"""Use case: the line's own figures for coordinators: outcomes, the headline, failing numbers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from helpline.domain.calls import SERVED_OUTCOMES, CallbackStatus
from helpline.services.calls import VoiceLine


@dataclass(frozen=True, slots=True)
class LineReport:
    outcomes: Mapping[str, int]
    dial_failures: Mapping[str, int]
    missed_callbacks: int

    @property
    def calls(self) -> int:
        return sum(n for outcome, n in self.outcomes.items() if outcome != "in_progress")

    @property
    def served_share(self) -> float:
        """Callers who left with a partner, an agreement or a human, of all ended calls."""
        served = sum(self.outcomes.get(o.value, 0) for o in SERVED_OUTCOMES)
        return served / self.calls if self.calls else 0.0


def report_line(line: VoiceLine, since: datetime) -> LineReport:
    with line.unit_of_work() as uow:
        outcomes = uow.calls.outcome_counts(since)
        failures = uow.calls.dial_failures(since)
        missed = [p for p in uow.callbacks.overdue(line.clock()) if p.due_at >= since]
        missed_count = len(missed) + uow.callbacks.count(CallbackStatus.MISSED, since)
    return LineReport(outcomes, failures, missed_count)


def format_line_report(report: LineReport) -> str:
    lines = [f"calls ended: {report.calls}"]
    lines += [f"  {outcome:<22}{count:>6}" for outcome, count in sorted(report.outcomes.items())]
    lines.append(f"callbacks missed: {report.missed_callbacks}")
    if report.dial_failures:
        lines.append("partner numbers that failed (no answer, busy, failed):")
        lines += [f"  {p:<40}{n:>4}" for p, n in sorted(report.dial_failures.items())]
    lines.append(f"served (partner, agreement or human): {report.served_share:.1%}")
    return "\n".join(lines)
