"""Which plots the page shows: equity with its baselines and limits, the drawdown curve, and
the error-log counts, turned into plot geometry."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from web.counts import CountSeries
from web.equity import EquitySeries
from web.plot import Plot, bar_plot, line_plot


def equity_plots(series: EquitySeries, tz: tzinfo) -> list[Plot]:
    """Over the window, or from the first snapshot when the record began inside it (a
    runner started an hour ago is not drawn as a line squeezed against the right edge)."""
    start = max(series.start, series.points[0][0]) if series.points else series.start
    levels = [(level.value, level.label, level.kind) for level in series.levels]
    limit = series.drawdown_limit_pct
    equity = line_plot(
        f"Equity ({series.currency}), last {series.window}",
        series.points,
        levels,
        start,
        series.end,
        tz,
    )
    drawdown = line_plot(
        "Drawdown below the running peak",
        [(ts, -depth) for ts, depth in series.drawdown],
        [(-limit, f"limit -{limit:g}%", "drawdown_limit")],
        start,
        series.end,
        tz,
        unit="%",
    )
    return [equity, drawdown]


def count_plot(counts: CountSeries, now: datetime, tz: tzinfo) -> Plot:
    width = timedelta(seconds=counts.window_seconds)
    title = f"{counts.label} per {_window(counts.window_seconds)} window"
    return bar_plot(title, counts.bars, counts.threshold, width, counts.start, now, tz)


def _window(seconds: int) -> str:
    return f"{seconds // 60} min" if seconds % 60 == 0 else f"{seconds} s"
