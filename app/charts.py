"""Charts drawn by Samvaad itself, as SVG markup (no CDN, no JavaScript): a page includes the markup inline
(``{{ chart | safe }}``, it is escaped here) and the API serves the same drawing as ``image/svg+xml``."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from html import escape

from routing.reports import Period, Report, ReportRow, StaffingHour

WIDTH, HEIGHT = 760, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 48, 36, 44
SERIES = (
    ("answered within target", "#2e7d32"),
    ("answered later", "#f9a825"),
    ("abandoned", "#c62828"),
    ("callback, crisis line or short abandon", "#90a4ae"),
)


def report_chart(report: Report, chart_id: str = "report-chart") -> str:
    """Calls per period, stacked by what became of them, with the service level as a line (right axis).
    ``chart_id`` names the drawing's title and description, so a page can hold several."""
    periods = _by_period(report.rows)
    title = _title(report)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    tallest = max((sum(_stack(row)) for row in periods.values()), default=0) or 1
    step = plot_w / max(1, len(periods))
    parts = [
        _opening(chart_id, HEIGHT),
        *_named(chart_id, title, report_summary(report)),
        f'<text x="{LEFT}" y="16" font-size="13" font-weight="bold">{escape(title)}</text>',
        *_axes(tallest, plot_w, plot_h),
    ]
    line = []
    for index, (start, row) in enumerate(sorted(periods.items())):
        x = LEFT + index * step
        parts += _bar(row, x, step, tallest, plot_h, start, report.range.period)
        if row.service_level is not None:
            line.append(f"{x + step / 2:.1f},{TOP + plot_h * (1 - row.service_level):.1f}")
        if len(periods) <= 31 or index % max(1, len(periods) // 12) == 0:
            parts.append(_label(start, report.range.period, x + step / 2, TOP + plot_h + 14))
    if line:
        parts.append(
            f'<polyline points="{" ".join(line)}" fill="none" stroke="#1565c0" stroke-width="2">'
            "<title>service level</title></polyline>"
        )
    parts += _legend()
    parts.append("</svg>")
    return "".join(parts)


def report_summary(report: Report) -> str:
    """The drawing in words (its description, for a screen reader and for anyone who cannot see it)."""
    t = report.total.tally
    later = t.calls_answered - t.calls_in_target
    abandoned = t.calls_abandoned - t.calls_short_abandoned
    other = t.calls_offered - t.calls_answered - abandoned
    return (
        f"{t.calls_offered} calls offered over {len(_by_period(report.rows))} {report.range.period.value}s: "
        f"{t.calls_in_target} answered within {report.answer_target_seconds} s, {later} answered later, "
        f"{abandoned} abandoned, {max(0, other)} by callback, the crisis line or a short abandon."
    )


def _opening(chart_id: str, height: float) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" class="samvaad-chart" '
        f'id="{escape(chart_id)}" font-family="sans-serif" font-size="11">'
    )


def _named(chart_id: str, title: str, description: str) -> list[str]:
    """The accessible name and description (SVG's own ``title`` and ``desc``), and the title drawn."""
    return [
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]


def _by_period(rows: list[ReportRow]) -> dict[datetime, ReportRow]:
    periods: dict[datetime, ReportRow] = defaultdict(lambda: ReportRow(None, None))
    for row in rows:
        assert row.period_start is not None
        merged = periods[row.period_start]
        merged.period_start = row.period_start
        merged.tally.add(row.tally)
    return dict(periods)


def _stack(row: ReportRow) -> tuple[int, int, int, int]:
    t = row.tally
    later = t.calls_answered - t.calls_in_target
    abandoned = t.calls_abandoned - t.calls_short_abandoned
    other = t.calls_offered - t.calls_answered - abandoned
    return (t.calls_in_target, later, abandoned, max(0, other))


def _title(report: Report) -> str:
    languages = sorted({row.language for row in report.rows if row.language})
    named = ", ".join(languages) if languages else "no calls"
    level = report.total.service_level
    shown = f"{level:.0%}" if level is not None else "n/a"
    return (
        f"Calls per {report.range.period.value} ({named}); service level {shown} "
        f"within {report.answer_target_seconds} s"
    )


def _axes(tallest: int, plot_w: float, plot_h: float) -> list[str]:
    bottom = TOP + plot_h
    return [
        f'<line x1="{LEFT}" y1="{bottom}" x2="{LEFT + plot_w}" y2="{bottom}" stroke="#444"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}" stroke="#444"/>',
        f'<text x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end">{tallest}</text>',
        f'<text x="{LEFT - 6}" y="{bottom}" text-anchor="end">0</text>',
        f'<text x="{LEFT + plot_w + 6}" y="{TOP + 4}" fill="#1565c0">100%</text>',
        f'<text x="{LEFT + plot_w + 6}" y="{bottom}" fill="#1565c0">0%</text>',
    ]


def _bar(
    row: ReportRow, x: float, step: float, tallest: int, plot_h: float, start: datetime, period: Period
) -> list[str]:
    parts, base = [], TOP + plot_h
    width = max(1.0, step * 0.8)
    for count, (name, colour) in zip(_stack(row), SERIES, strict=True):
        if not count:
            continue
        height = plot_h * count / tallest
        base -= height
        parts.append(
            f'<rect x="{x + step * 0.1:.1f}" y="{base:.1f}" width="{width:.1f}" height="{height:.1f}" '
            f'fill="{colour}"><title>{escape(_when(start, period))}: {count} {escape(name)}</title></rect>'
        )
    return parts


def _when(start: datetime, period: Period) -> str:
    return start.strftime("%d %b %H:00" if period is Period.hour else "%d %b %Y")


def _label(start: datetime, period: Period, x: float, y: float) -> str:
    text = start.strftime("%H" if period is Period.hour else "%d %b")
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle">{escape(text)}</text>'


def _legend() -> list[str]:
    parts: list[str] = []
    x = float(LEFT)
    for name, colour in (*SERIES, ("service level", "#1565c0")):
        parts.append(f'<rect x="{x}" y="{HEIGHT - 16}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14}" y="{HEIGHT - 7}">{escape(name)}</text>')
        x += 14 + 6.2 * len(name) + 14
    return parts


def staffing_summary(hours: list[StaffingHour]) -> str:
    """The heat map in words: per language, how many hours are short, enough and more than needed."""
    counts: dict[str, dict[str, int]] = {}
    for hour in hours:
        per = counts.setdefault(hour.language, dict.fromkeys(VERDICT_COLOURS, 0))
        per[hour.verdict] += 1
    said = "; ".join(
        f"{language}: " + ", ".join(f"{n} {verdict}" for verdict, n in per.items())
        for language, per in counts.items()
    )
    return f"Hours per language: {said}." if said else "No hours to plan."


VERDICT_COLOURS = {"short": "#c62828", "enough": "#2e7d32", "more than needed": "#90caf9"}


def staffing_chart(hours: list[StaffingHour], chart_id: str = "staffing-chart") -> str:
    """A heat map of the hours ahead: a row per language, a cell per hour, coloured short / enough / more
    than needed; each cell's title says needed and rostered."""
    languages = list(dict.fromkeys(h.language for h in hours))
    starts = sorted({h.start for h in hours})
    column = {start: i for i, start in enumerate(starts)}
    cell_w = max(2.0, (WIDTH - LEFT - 8) / max(1, len(starts)))
    cell_h, top = 18, 28
    height = top + cell_h * len(languages) + 40
    title = f"Listeners rostered against those needed, {len(starts)} hours ahead"
    parts = [
        _opening(chart_id, height),
        *_named(chart_id, title, staffing_summary(hours)),
        f'<text x="{LEFT}" y="16" font-size="13" font-weight="bold">{escape(title)}</text>',
    ]
    for row, language in enumerate(languages):
        y = top + row * cell_h
        parts.append(f'<text x="{LEFT - 6}" y="{y + 13}" text-anchor="end">{escape(language)}</text>')
    for hour in hours:
        x, y = LEFT + column[hour.start] * cell_w, top + languages.index(hour.language) * cell_h
        label = (
            f"{hour.start:%a %d %b %H:00} {hour.language}: {hour.verdict}, needed {hour.needed}, "
            f"rostered {hour.rostered:g}"
        )
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="{cell_w:.1f}" height="{cell_h - 2}" '
            f'fill="{VERDICT_COLOURS[hour.verdict]}"><title>{escape(label)}</title></rect>'
        )
    for start in starts:
        if start.hour == 0 or start == starts[0]:
            x = LEFT + column[start] * cell_w
            parts.append(f'<text x="{x:.1f}" y="{height - 24}">{escape(f"{start:%a %d}")}</text>')
    x = float(LEFT)
    for name, colour in VERDICT_COLOURS.items():
        parts.append(f'<rect x="{x}" y="{height - 14}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14}" y="{height - 5}">{escape(name)}</text>')
        x += 14 + 6.2 * len(name) + 14
    parts.append("</svg>")
    return "".join(parts)
