"""Which plots the page shows: equity with its baselines and limits, the drawdown curve, and
the error-log counts, turned into plot geometry."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from web.counts import CountSeries
from web.equity import EquitySeries
from web.plot import Plot, bar_plot, line_plot


def equity_plots(series: EquitySeries, tz: tzinfo) -> list[Plot]:
    levels = [(level.value, level.label, level.kind) for level in series.levels]
    equity = line_plot(
        f"Equity ({series.currency}), last {series.window}",
        series.points,
        levels,
        series.start,
        series.end,
        tz,
    )
    drawdown = line_plot(
        "Drawdown below the running peak",
        [(ts, -depth) for ts, depth in series.drawdown],
        [(-series.drawdown_limit_pct, f"limit -{series.drawdown_limit_pct:g}%", "drawdown_limit")],
        series.start,
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
