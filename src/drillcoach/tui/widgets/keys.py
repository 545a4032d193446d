"""The footer of keys, rebuilt only when the keys it shows change.

Textual's Footer rebuilds all its keys at every ``refresh_bindings`` (a focus change, an
action, a screen resumed): on a drill screen five times for one reveal, and twice on
Today, unseen, at each rating. Each rebuild mounts a dozen keys and styles each twice
(a key is born compact, then made plain). This one waits for the refresh, compares the
keys with those shown, rebuilds only on a difference, and gives each key its style at
birth. It looks and acts as Textual's Footer."""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeyFooter(Footer):
    def __init__(self, *, compact: bool = False, show_command_palette: bool = True) -> None:
        super().__init__(compact=compact, show_command_palette=show_command_palette)
        self._shown: Hashable = None  # what the keys were last built from
        self._waiting = False  # a rebuild is asked for after the next refresh

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._waiting:
            self._waiting = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._waiting = False
        if not self.is_attached:
            return
        shown = self._keys()
        if shown != self._shown:
            self._shown = shown
            await self.recompose()

    def _keys(self) -> Hashable:
        """All that ``compose`` reads: the bindings shown, whether each is enabled and its
        tooltip, and the command palette's."""
        active = self.screen.active_bindings
        shown = tuple(
            (binding, enabled, tooltip)
            for _, binding, enabled, tooltip in active.values()
            if binding.show
        )
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        if not (self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE):
            palette = None
        return shown, palette[1:] if palette is not None else None

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                # born in the footer's style (as data_bind then sets it): no class toggled
                # and no styles applied again at mount
                widget.set_reactive(FooterKey.compact, self.compact)
                widget.set_class(self.compact, "-compact", update=False)
            yield widget
