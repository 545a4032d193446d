"""Browse packs and their drills, read a drill, and turn a pack on or off for my queue."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from drillcoach.content import Pack
from drillcoach.services import Services
from drillcoach.tui.screens.drill_detail import DrillDetailScreen
from drillcoach.tui.writes import saved


class PacksScreen(Screen[None]):
    CSS_PATH = "packs.tcss"
    BINDINGS = [
        Binding("space", "toggle_pack", "On/off in my queue"),
        Binding("escape", "back", "Back"),
        Binding("right", "focus_drills", "Drills", show=False),
        Binding("left", "focus_packs", "Packs", show=False),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.pack_ids = list(services.library.packs)

    def compose(self) -> ComposeResult:
        with Horizontal(id="browser"):
            with Vertical(id="left"):
                yield Static("Packs (space: on/off)", classes="heading")
                yield OptionList(id="pack-list", markup=False)
            with Vertical(id="right"):
                yield Static("", id="pack-info")
                yield Static("Drills (enter reads one)", classes="heading")
                yield OptionList(id="drill-list", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._fill_packs()
        pack_list = self.query_one("#pack-list", OptionList)
        if self.pack_ids:
            pack_list.highlighted = 0
        pack_list.focus()

    def _in_queue(self) -> set[str]:
        return set(self.services.scheduler.queue_pack_ids())

    def _fill_packs(self) -> None:
        in_queue = self._in_queue()
        pack_list = self.query_one("#pack-list", OptionList)
        highlighted = pack_list.highlighted
        pack_list.clear_options()
        for pack in self.services.library.packs.values():
            mark = "●" if pack.id in in_queue else "○"
            pack_list.add_option(Option(f"{mark} {pack.title} ({len(pack.drills)})", id=pack.id))
        if highlighted is not None:
            pack_list.highlighted = highlighted

    def current_pack(self) -> Pack | None:
        index = self.query_one("#pack-list", OptionList).highlighted
        if index is None or not 0 <= index < len(self.pack_ids):
            return None
        return self.services.library.packs[self.pack_ids[index]]

    @on(OptionList.OptionHighlighted, "#pack-list")
    def _pack_highlighted(self) -> None:
        pack = self.current_pack()
        if pack is None:
            return
        in_queue = pack.id in self._in_queue()
        assigned = any(a.pack == pack.id for a in self.services.scheduler.my_assignments())
        status = "in my queue" if in_queue else "not in my queue"
        if assigned:
            status += " (assigned to me)"
        byline = f" · by {pack.author}" if pack.author else ""
        seller = pack.seller[0].upper() + pack.seller[1:]  # "Any product" or a company's
        who = f"{seller} · {pack.segment}" if pack.segment else seller
        info = Text.assemble(
            (pack.title, "bold"), f"  version {pack.version}{byline} · {status}\n",
            (who + "\n", "dim"), pack.description,
        )  # fmt: skip
        self.query_one("#pack-info", Static).update(info)
        drills = self.query_one("#drill-list", OptionList)
        drills.clear_options()
        for drill in pack.drills:
            drills.add_option(Option(f"{drill.kind:<10} {drill.title}", id=drill.uid))

    @on(OptionList.OptionSelected, "#pack-list")
    def action_focus_drills(self) -> None:
        drills = self.query_one("#drill-list", OptionList)
        if drills.highlighted is None and drills.option_count:
            drills.highlighted = 0
        drills.focus()

    def action_focus_packs(self) -> None:
        self.query_one("#pack-list", OptionList).focus()

    @on(OptionList.OptionSelected, "#drill-list")
    def _read_drill(self, event: OptionList.OptionSelected) -> None:
        drill = self.services.library.drill(event.option.id or "")
        if drill is not None:
            self.app.push_screen(DrillDetailScreen(self.services.library, drill))

    def action_toggle_pack(self) -> None:
        pack = self.current_pack()
        if pack is None:
            return
        turn_on = pack.id in self.services.prefs.disabled_packs()

        def tell(problem: str) -> None:
            self.notify(problem, severity="error", timeout=8)

        if not saved(lambda: self.services.prefs.set_pack_enabled(pack.id, turn_on), tell):
            return
        if not turn_on and pack.id in self._in_queue():
            self.notify(f"{pack.title} is assigned to you, so it stays in your queue.", timeout=4)
        else:
            state = "on" if turn_on else "off"
            self.notify(f"{pack.title}: {state} for your queue", timeout=3)
        self._fill_packs()
        self._pack_highlighted()

    def action_back(self) -> None:
        self.dismiss(None)

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Turn pack on or off", "Add or remove the highlighted pack from "
                            "your queue", self.action_toggle_pack)  # fmt: skip
        yield SystemCommand("Back to Today", "Close the pack browser", self.action_back)
