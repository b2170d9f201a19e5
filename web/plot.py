"""Plot geometry for server-rendered SVG: scales, a polyline, level lines, bars, ticks.

Only numbers and labels come out; the template draws them (and escapes every label), so
the page needs no charting script.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

WIDTH, HEIGHT = 800, 220
LEFT, RIGHT, TOP, BOTTOM = 70, 190, 12, 24
TICKS = 5


@dataclass(frozen=True)
class Line:
    y: float
    label: str
    kind: str


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    over: bool
    title: str


@dataclass(frozen=True)
class Plot:
    title: str
    path: str = ""  # SVG polyline points
    points: int = 0
    lines: list[Line] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    empty: str = ""
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM


@dataclass(frozen=True)
class Scale:
    """Maps a time span to x and a value range to y (higher values drawn higher)."""

    start: datetime
    end: datetime
    low: float
    high: float

    def x(self, moment: datetime) -> float:
        span = (self.end - self.start).total_seconds() or 1.0
        share = (moment - self.start).total_seconds() / span
        return round(LEFT + share * (WIDTH - RIGHT - LEFT), 1)

    def y(self, value: float) -> float:
        share = (value - self.low) / ((self.high - self.low) or 1.0)
        return round(HEIGHT - BOTTOM - share * (HEIGHT - BOTTOM - TOP), 1)


def line_plot(
    title: str,
    points: Sequence[tuple[datetime, float]],
    levels: Sequence[tuple[float, str, str]],  # value, label, kind
    start: datetime,
    end: datetime,
    tz: tzinfo,
    unit: str = "",
) -> Plot:
    """A series over [start, end] with horizontal levels, every level inside the range."""
    if not points:
        return Plot(title, empty="no data in this window yet")
    values = [value for _, value in points] + [value for value, _, _ in levels]
    scale = Scale(start, end, *_padded(min(values), max(values)))
    return Plot(
        title,
        path=" ".join(f"{scale.x(ts)},{scale.y(value)}" for ts, value in points),
        points=len(points),
        lines=_merged([Line(scale.y(value), label, kind) for value, label, kind in levels]),
        x_ticks=_time_ticks(scale, tz),
        y_ticks=_value_ticks(scale, unit),
    )


def _merged(lines: list[Line]) -> list[Line]:
    """Levels drawn at the same height share one label ("peak, start of day")."""
    labels: dict[float, list[str]] = {}
    for line in lines:
        labels.setdefault(line.y, []).append(line.label)
    first_at = {line.y: line for line in reversed(lines)}
    return [
        Line(line.y, ", ".join(labels[line.y]) if first_at[line.y] is line else "", line.kind)
        for line in lines
    ]


def bar_plot(
    title: str,
    bars: Sequence[tuple[datetime, int]],
    threshold: int,
    width: timedelta,
    start: datetime,
    end: datetime,
    tz: tzinfo,
) -> Plot:
    """Counts per window as bars; the threshold as a level, bars reaching it marked."""
    scale = Scale(start, end, 0.0, float(max([threshold, *(count for _, count in bars)]) + 1))
    bar_width = max(1.0, scale.x(start + width) - scale.x(start) - 1)
    drawn = [
        Bar(
            max(float(LEFT), scale.x(ts)),
            scale.y(count),
            bar_width,
            round(scale.y(0) - scale.y(count), 1),
            count >= threshold,
            f"{count} from {ts.astimezone(tz):%H:%M}",
        )
        for ts, count in bars
    ]
    return Plot(
        title,
        bars=drawn,
        points=len(drawn),
        lines=[Line(scale.y(threshold), f"threshold {threshold}", "threshold")],
        x_ticks=_time_ticks(scale, tz),
        y_ticks=_value_ticks(scale, ""),
    )


def _padded(low: float, high: float) -> tuple[float, float]:
    pad = (high - low) * 0.05 or abs(high) * 0.01 or 1.0
    return low - pad, high + pad


def _time_ticks(scale: Scale, tz: tzinfo) -> list[Tick]:
    span = scale.end - scale.start
    pattern = "%d %b %H:%M"
    if span <= timedelta(days=1):
        pattern = "%H:%M:%S" if span < timedelta(minutes=10) else "%H:%M"
    return [
        Tick(scale.x(moment), f"{moment.astimezone(tz):{pattern}}")
        for moment in (scale.start + span * i / (TICKS - 1) for i in range(TICKS))
    ]


def _value_ticks(scale: Scale, unit: str) -> list[Tick]:
    step = (scale.high - scale.low) / (TICKS - 1)
    return [
        Tick(scale.y(value), f"{value:,.2f}{unit}" if step < 10 else f"{value:,.0f}{unit}")
        for value in (scale.low + step * i for i in range(TICKS))
    ]
