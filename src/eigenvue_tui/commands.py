"""Presets in the command palette (``ctrl+p``): type a few letters, Enter loads."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape

from .presets import CatalogueEntry


class PresetCommands(Provider):
    """One command per preset file, ``Load preset: <title>``."""

    async def startup(self) -> None:
        self._entries: list[CatalogueEntry] = await self.app.read_catalogue()  # type: ignore[attr-defined]

    def _command(self, entry: CatalogueEntry) -> tuple[str, str]:
        help_text = entry.error or " · ".join(filter(None, (entry.size, entry.description)))
        # Hits are read as markup: a title like "3×3 [blur]" must stay as written.
        return escape(f"Load preset: {entry.title} ({entry.name})"), escape(help_text)

    async def discover(self) -> Hits:
        for entry in self._entries:
            text, help_text = self._command(entry)
            yield DiscoveryHit(text, partial(self.app.load_entry, entry), help=help_text)  # type: ignore[attr-defined]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry in self._entries:
            text, help_text = self._command(entry)
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(text),
                    partial(self.app.load_entry, entry),  # type: ignore[attr-defined]
                    help=help_text,
                )
