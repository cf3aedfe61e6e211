"""Buttons whose action runs once per press: a double click's second click is dropped in the browser
(``static/one-click.js``, for buttons of class ``pb-once``), and the button is disabled while its action runs, so a
slower second press meets a disabled button. Next and Back are not such buttons: pressed twice, they step twice."""

from __future__ import annotations

from typing import Callable

ONCE = "pb-once"


def on_press(button, action: Callable[[], object]) -> None:
    """``action()`` on each press of ``button``, once per press (see the module's text)."""
    button.add_class(ONCE)

    def pressed(_b) -> None:
        was = button.disabled
        button.disabled = True  # sent to the browser at once, before the action's own updates
        try:
            action()
        finally:
            button.disabled = was

    button.on_click(pressed)
