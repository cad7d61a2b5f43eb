"""One row per figure, and the table they print as."""

from __future__ import annotations

from dataclasses import dataclass

COLUMNS = ("figure", "ours", "baseline", "ratio (worst / median)", "target", "met?")


@dataclass(frozen=True)
class Row:
    figure: str
    ours: str
    baseline: str = "-"
    ratio: float | None = None  # with `median`: the worst round's ratio (bench.rounds); else the one ratio
    target: str = "-"
    met: bool | None = None  # None: no target, or not measured (see status)
    status: str = ""  # "skipped: why" or "placeholder: why" when the row was not measured
    median: float | None = None  # the median round's ratio, when the figure was measured in rounds
    notes: tuple[str, ...] = ()  # printed under the table: what a count was made of

    def cells(self) -> tuple[str, ...]:
        ratio = "-" if self.ratio is None else _number(self.ratio)
        if self.median is not None:
            ratio = f"{ratio} / {_number(self.median)}"
        if self.status:
            met = self.status
        else:
            met = "-" if self.met is None else ("yes" if self.met else "NO")
        return (self.figure, self.ours, self.baseline, ratio, self.target, met)


def _number(value: float) -> str:
    # Small ratios keep two significant digits rather than rounding to 0.00.
    return f"{value:.2f}" if value >= 0.1 else f"{value:.2g}"


def skipped(figure: str, reason: str, target: str = "-") -> Row:
    return Row(figure, "-", target=target, status=f"skipped: {reason}")


def placeholder(figure: str, reason: str, target: str = "-") -> Row:
    return Row(figure, "-", target=target, status=f"placeholder: {reason}")


def render(rows: list[Row]) -> str:
    body = [COLUMNS, *(row.cells() for row in rows)]
    widths = [max(len(line[i]) for line in body) for i in range(len(COLUMNS))]

    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths)) + " |"

    rule = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([line(COLUMNS), rule, *(line(cells) for cells in body[1:])])


def render_notes(rows: list[Row]) -> str:
    return "\n".join(f"# {row.figure}: {note}" for row in rows for note in row.notes)


def rate(count: int, seconds: float, unit: str) -> str:
    return f"{count / seconds:,.0f} {unit}/s"


def millis(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"
