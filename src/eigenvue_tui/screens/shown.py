"""Late work for a screen that has been left does nothing.

A change computed off the main thread, the background sums, a callback after the next
refresh, a play tick: each can come due after ``o``, ``m`` or a preset has switched to
another screen, while the old one is being taken apart (its widgets already gone).
Drawing then raised ``NoMatches`` in a worker and ended the app with a traceback.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from textual.screen import Screen

Method = TypeVar("Method", bound=Callable[..., Any])


def gone(screen: Screen) -> bool:
    """Removed or being removed (Textual marks every node it prunes at once)."""
    return not screen.is_attached or screen._pruning


def while_shown(method: Method) -> Method:
    """Run ``method`` only while its screen is still in the app (shown or under a dialog)."""
    if inspect.iscoroutinefunction(method):
        @functools.wraps(method)
        async def guarded_async(self: Screen, *args: Any, **kwargs: Any) -> Any:
            if not gone(self):
                return await method(self, *args, **kwargs)
            return None

        return guarded_async  # type: ignore[return-value]

    @functools.wraps(method)
    def guarded(self: Screen, *args: Any, **kwargs: Any) -> Any:
        if not gone(self):
            return method(self, *args, **kwargs)
        return None

    return guarded  # type: ignore[return-value]
