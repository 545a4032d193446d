"""A calendar heatmap of drilling days: one column per week (Monday at the top), each day
shaded by how many drills were rated that day, with the months above and a legend below.
The shades and the legend are the report's (progress/charts.py), here in colour."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from textual.content import Content
from textual.style import Style
from textual.widget import Widget

from drillcoach.progress.charts import HEAT, heat, heat_legend, month_starts

ROW_LABELS = ("Mon", "", "Wed", "", "Fri", "", "Sun")
LABEL_WIDTH = 4


class Heatmap(Widget):
    """Drills rated per day over the last ``weeks`` weeks, this week in the last column."""

    COMPONENT_CLASSES = {
        "heatmap--label",
        "heatmap--level-0",
        "heatmap--level-1",
        "heatmap--level-2",
        "heatmap--level-3",
        "heatmap--level-4",
    }
    DEFAULT_CSS = """
    Heatmap {
        width: auto;
        height: auto;
    }
    Heatmap > .heatmap--label { color: $text-muted; }
    Heatmap > .heatmap--level-0 { color: $foreground 25%; }
    Heatmap > .heatmap--level-1 { color: $success 45%; }
    Heatmap > .heatmap--level-2 { color: $success 65%; }
    Heatmap > .heatmap--level-3 { color: $success 85%; }
    Heatmap > .heatmap--level-4 { color: $success; }
    """

    def __init__(
        self,
        calendar: Sequence[tuple[date, int]] = (),
        *,
        weeks: int = 26,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.weeks = weeks
        self.calendar: dict[date, int] = {}
        self.today: date | None = None
        self.show(calendar)

    def show(self, calendar: Sequence[tuple[date, int]]) -> None:
        """Show ``calendar``: (day, drills rated) oldest first, its last day being today."""
        self.calendar = dict(calendar)
        self.today = calendar[-1][0] if calendar else None
        self.refresh(layout=True)

    @property
    def mondays(self) -> list[date]:
        """The Monday of each column, oldest first."""
        if self.today is None:
            return []
        this_week = self.today - timedelta(days=self.today.weekday())
        return [this_week - timedelta(weeks=back) for back in range(self.weeks - 1, -1, -1)]

    @property
    def most(self) -> int:
        """The most drills rated on one day of the calendar."""
        return max(self.calendar.values(), default=0)

    def render(self) -> Content:
        if self.today is None:
            return Content("")
        label = self.get_visual_style("heatmap--label")
        lines = [Content.styled(self._months(), label)]
        for weekday, name in enumerate(ROW_LABELS):
            cells = [(f"{name:<{LABEL_WIDTH}}", label)]
            for monday in self.mondays:
                day = monday + timedelta(days=weekday)
                if day > self.today:
                    cells.append(("  ", label))  # days of this week still to come
                    continue
                glyph = heat(self.calendar.get(day, 0), self.most)
                cells.append((f"{glyph} ", self._shade(glyph)))
            lines.append(Content.assemble(*cells).rstrip())
        lines.append(self._legend())
        return Content("\n").join(lines)

    def _months(self) -> str:
        """Each month's short name over the first week that starts in it (the first
        column's month too, when the next month does not start right after it)."""
        row = [" "] * (LABEL_WIDTH + 2 * self.weeks)
        for column, name in month_starts(self.mondays):
            x = LABEL_WIDTH + 2 * column
            row[x : x + len(name)] = name
        return "".join(row).rstrip()

    def _legend(self) -> Content:
        label = self.get_visual_style("heatmap--label")
        legend = f"{'':<{LABEL_WIDTH}}{heat_legend(self.most)}  drills a day"
        return Content.assemble(*((char, self._shade(char) if char in HEAT else label)
                                  for char in legend))  # fmt: skip

    def _shade(self, glyph: str) -> Style:
        return self.get_visual_style(f"heatmap--level-{HEAT.index(glyph)}")
