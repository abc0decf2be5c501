"""Use case: measure the classifier on labelled utterances, as `helpline eval` prints it."""

from __future__ import annotations

import gc
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from helpline.domain.classification import Classification
from helpline.domain.taxonomy import CRISIS_CATEGORIES, CallerType, Category


@dataclass(frozen=True, slots=True)
class LabelledUtterance:
    text: str
    category: Category
    also: frozenset[Category]
    caller_type: CallerType
    area: str | None

    @property
    def is_crisis(self) -> bool:
        return self.category in CRISIS_CATEGORIES

    def accepts(self, category: Category) -> bool:
        return category == self.category or category in self.also


@dataclass(frozen=True, slots=True)
class Outcome:
    item: LabelledUtterance
    result: Classification
    seconds: float


@dataclass(frozen=True, slots=True)
class Report:
    outcomes: tuple[Outcome, ...]
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)

    def _share(self, hits: int, total: int) -> float:
        return hits / total if total else 1.0

    @property
    def accuracy(self) -> float:
        return self._share(
            sum(o.item.accepts(o.result.category) for o in self.outcomes), len(self.outcomes)
        )

    @property
    def crisis_recall(self) -> float:
        crises = self._crises
        return self._share(sum(o.result.is_crisis for o in crises), len(crises))

    @property
    def _crises(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.item.is_crisis]

    @property
    def crisis_caught_or_asked(self) -> float:
        """Crises escalated, or met with the voice line's safety question ("is anyone in
        danger now?") because a weaker signal was heard: what a caller in crisis meets."""
        crises = self._crises
        reached = sum(o.result.is_crisis or o.result.worry is not None for o in crises)
        return self._share(reached, len(crises))

    @property
    def crisis_false_alarms(self) -> float:
        calm = [
            o
            for o in self.outcomes
            if not o.item.is_crisis and not (o.item.also & set(CRISIS_CATEGORIES))
        ]
        return self._share(sum(o.result.is_crisis for o in calm), len(calm)) if calm else 0.0

    @property
    def caller_type_accuracy(self) -> float:
        return self._share(
            sum(o.item.caller_type == o.result.caller_type for o in self.outcomes),
            len(self.outcomes),
        )

    @property
    def area_accuracy(self) -> float:
        return self._share(
            sum(o.item.area == o.result.area for o in self.outcomes), len(self.outcomes)
        )

    @property
    def median_ms(self) -> float:
        return statistics.median(o.seconds for o in self.outcomes) * 1000 if self.outcomes else 0.0

    @property
    def per_second(self) -> float:
        total = sum(o.seconds for o in self.outcomes)
        return len(self.outcomes) / total if total else 0.0

    def precision_recall(self, category: Category) -> tuple[float, float, int]:
        predicted = [o for o in self.outcomes if o.result.category == category]
        actual = [o for o in self.outcomes if o.item.category == category]
        precision = self._share(sum(o.item.accepts(category) for o in predicted), len(predicted))
        recall = self._share(sum(o.item.accepts(o.result.category) for o in actual), len(actual))
        return precision, recall, len(actual)

    def headline(self) -> str:
        return (
            f"accuracy {self.accuracy:.3f} crisis_recall {self.crisis_recall:.3f} "
            f"crisis_false_alarms {self.crisis_false_alarms:.3f} caller_type "
            f"{self.caller_type_accuracy:.3f} area {self.area_accuracy:.3f} "
            f"median_ms {self.median_ms:.3f} n {len(self.outcomes)}"
        )


Classify = Callable[[str], Classification]


def evaluate(
    classify: Classify,
    items: Sequence[LabelledUtterance],
    clock: Callable[[], float] = time.perf_counter,
    warm_up: Sequence[str] = (),
) -> Report:
    """Classify every item once and keep what came out and how long.

    Timing starts warm, as in a running service: after the `warm_up` texts (other utterances
    than those measured, such as the tuning corpora), or else the first 50 items."""
    for text in warm_up or [item.text for item in items[:50]]:
        classify(text)
    outcomes = []
    collecting = gc.isenabled()
    gc.disable()  # as timeit does: a collection pause belongs to no one utterance
    try:
        for item in items:
            started = clock()
            result = classify(item.text)
            outcomes.append(Outcome(item, result, clock() - started))
    finally:
        if collecting:
            gc.enable()
    confusion = Counter((o.item.category.value, o.result.category.value) for o in outcomes)
    return Report(tuple(outcomes), confusion)


def format_report(report: Report, show_mistakes: bool = False) -> str:
    lines = [f"utterances: {len(report.outcomes)}", "", "category            precision recall  n"]
    for category in Category:
        precision, recall, count = report.precision_recall(category)
        lines.append(f"{category.value:<20}{precision:>8.2f}{recall:>7.2f}{count:>4}")
    lines += ["", "confusion (label -> predicted, mistakes only):"]
    for (label, predicted), count in report.confusion.most_common():
        if label != predicted:
            lines.append(f"  {label:<18} -> {predicted:<18} {count}")
    if show_mistakes:  # off by default: reading the held-out mistakes invites tuning on them
        lines += ["", "mistakes:", *_mistakes(report)]
    lines += ["", "slowest:"]
    for outcome in sorted(report.outcomes, key=lambda o: -o.seconds)[:5]:
        lines.append(f"  {outcome.seconds * 1000:7.3f} ms  {outcome.item.text[:80]}")
    lines += [
        "",
        f"category accuracy      {report.accuracy:.3f}",
        f"crisis recall          {report.crisis_recall:.3f}",
        f"  escalated or asked   {report.crisis_caught_or_asked:.3f} (a weak signal gets the"
        " safety question)",
        f"crisis false alarms    {report.crisis_false_alarms:.3f}",
        f"caller type accuracy   {report.caller_type_accuracy:.3f}",
        f"area accuracy          {report.area_accuracy:.3f}",
        f"speed                  median {report.median_ms:.3f} ms, "
        f"{report.per_second:,.0f} utterances/s",
        report.headline(),
    ]
    return "\n".join(lines)


def _mistakes(report: Report) -> list[str]:
    lines = []
    for outcome in report.outcomes:
        if not outcome.item.accepts(outcome.result.category):
            labels = f"{outcome.item.category.value} -> {outcome.result.category.value}"
            lines.append(f"  [{labels}] {outcome.item.text[:110]}")
    return lines
