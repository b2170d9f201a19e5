"""What the three error-log alerts share: count one kind of event inside a time window and
fire at ">=" the threshold, with the tallies behind the count.

A check names its kind, its limits and its words; the window it reads is an `EventQuery` that
the error-log source answers, so the window edge is defined once: an event counts while it is
less than `window` seconds old.
"""

from __future__ import annotations

from abc import abstractmethod
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, ClassVar

from checks.base import Check, Examples
from config.policy import Policy
from core.format import duration
from core.inputs import EventQuery, EventWindow, InputName, Inputs, LoggedEvent, LoggedEvents
from core.results import CheckResult, Perfdata, Range
from core.status import Severity


class EventBurst(Check):
    """A burst of one kind of error-log event."""

    needs = (InputName.ERROR_LOG,)
    kind: ClassVar[str]
    after_kind: ClassVar[str | None] = None
    # Each source counted apart (None: all together). API errors are counted per source:
    # the runner reaching the exchange must not hide a bot that cannot.
    sources: ClassVar[tuple[str | None, ...]] = (None,)
    noun: ClassVar[str]  # "order rejection": the summary counts these
    perf_label: ClassVar[str]

    @abstractmethod
    def limits(self, policy: Policy) -> tuple[int, int]:
        """(threshold, window in seconds) from the policy."""

    @abstractmethod
    def figures(self, window: EventWindow, threshold: int, seconds: int) -> dict[str, Any]:
        """The alert's context: the count, its limits and what the events say."""

    @abstractmethod
    def detail(self, window: EventWindow) -> str:
        """What the summary line adds after the count ("" for nothing)."""

    @abstractmethod
    def example_event(self, ts: datetime, index: int) -> LoggedEvent:
        """The `index`-th event of a realistic burst, logged at `ts`."""

    def event_queries(self, policy: Policy, now: datetime) -> tuple[EventQuery, ...]:
        """One window per source counted apart (see `sources`)."""
        _, seconds = self.limits(policy)
        since = now - timedelta(seconds=seconds)
        return tuple(EventQuery(self.kind, since, self.after_kind, src) for src in self.sources)

    def examples(self, policy: Policy, now: datetime) -> Examples:
        """A burst one past the threshold, and one short of it, inside the window."""
        threshold, seconds = self.limits(policy)
        queries = self.event_queries(policy, now)

        def logged(count: int) -> Inputs:
            step = seconds / (count + 2)
            events = tuple(
                self.example_event(now - timedelta(seconds=step * (i + 1)), i) for i in range(count)
            )
            found = EventWindow(events, count, events[-1].ts if events else None)
            windows = {q: found if q is queries[0] else EventWindow((), 0, None) for q in queries}
            return Inputs({InputName.ERROR_LOG: LoggedEvents(windows)})

        return Examples(firing=logged(threshold + 1), clear=logged(threshold - 1))

    def evaluate(self, inputs: Inputs, policy: Policy, now: datetime) -> CheckResult:
        logged: LoggedEvents = inputs[InputName.ERROR_LOG]
        threshold, seconds = self.limits(policy)
        counted = {q.source: logged.windows[q] for q in self.event_queries(policy, now)}
        window = max(counted.values(), key=lambda found: found.total)  # the worst source
        summary = f"{plural(window.total, self.noun)} in the last {duration(seconds)} "
        summary += f"(threshold {threshold})"
        detail = self.detail(window) if window.events else ""
        if detail:
            summary += f"; {detail}"
        context = self.figures(window, threshold, seconds)
        if len(counted) > 1:
            context["by_source"] = {source: found.total for source, found in counted.items()}
        if window.total > len(window.events):
            context["details_from_newest"] = len(window.events)
        if logged.jsonl is not None and logged.jsonl.bad_lines:
            context["error_log_bad_lines"] = logged.jsonl.bad_lines
            context["last_bad_line"] = logged.jsonl.last_bad_line
        limit = "warn" if self.severity is Severity.WARNING else "crit"
        fires = Range.at_least(threshold)  # ">= threshold" fires
        perf = Perfdata(self.perf_label, window.total, minimum=0, **{limit: fires})
        if window.total >= threshold:
            return self.fire(summary, context, perf)
        return self.ok(summary, context, perf)


def tally(values: Iterable[str | None]) -> dict[str, int]:
    """How often each value occurs, most frequent first (absent values not counted)."""
    return dict(Counter(value for value in values if value).most_common())


def distinct(values: Iterable[str | None]) -> list[str]:
    return sorted({value for value in values if value})


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def short_tally(counts: dict[str, int], shown: int = 3) -> str:
    """`INSUFFICIENT_FUNDS x2, MIN_NOTIONAL x1, +2 more` for a one-line summary."""
    parts = [f"{value} x{count}" for value, count in list(counts.items())[:shown]]
    if len(counts) > shown:
        parts.append(f"+{len(counts) - shown} more")
    return ", ".join(parts)
