"""The key bar at the bottom: whole keys only, as many as fit, Help and Quit always.

Textual's ``Footer`` cuts the last keys off at 80 columns, which hides ``?`` and
``q`` exactly where a new user needs them; this drops middle keys instead.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

ALWAYS = ("help", "app.quit", "quit")
GAP = "  "


class KeyBar(Static):
    """One line of ``key description`` pairs from the screen's active bindings."""

    COMPONENT_CLASSES = {"keybar--key", "keybar--description"}

    _shown: tuple[str, tuple[object, ...]] | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._changed)
        self.app.theme_changed_signal.subscribe(
            self, lambda _theme: self.call_after_refresh(self._draw)
        )
        self._draw()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)
        self.app.theme_changed_signal.unsubscribe(self)

    def _changed(self, _screen: object) -> None:
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        pairs = []
        always = []
        for _, binding, enabled, _ in self.screen.active_bindings.values():
            if not binding.show or any(binding.action == a for a, *_ in pairs + always):
                continue
            entry = (binding.action, self.app.get_key_display(binding), binding.description,
                     enabled)
            (always if binding.action in ALWAYS else pairs).append(entry)
        room = self.size.width - 1
        used = sum(len(key) + len(desc) + 1 + len(GAP) for _, key, desc, _ in always)
        chosen = []
        for entry in pairs:
            width = len(entry[1]) + len(entry[2]) + 1 + len(GAP)
            if used + width > room:
                continue
            used += width
            chosen.append(entry)
        key_style = self.get_component_rich_style("keybar--key")
        description = self.get_component_rich_style("keybar--description")
        text = Text(" ", no_wrap=True)
        for i, (_, key, desc, _) in enumerate(chosen + always):
            if i:
                text.append(GAP)
            text.append(key, key_style)
            text.append(f" {desc}", description)
        shown = (text.plain, tuple(text.spans))
        if shown != self._shown:  # the bindings are signalled as changed on every dialog
            self._shown = shown  # closing, mostly to the same keys: repaint only a change
            self.update(text, layout=False)
