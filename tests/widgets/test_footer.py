"""DeskFooter: the same keys as Textual's Footer, remounted only when they change."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding
from textual.widgets._footer import FooterKey

from desk.widgets.footer import DeskFooter


class Keys(App):
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("a", "alpha", "Alpha"), Binding("b", "beta", "Beta")]
    beta_enabled = True

    def compose(self):
        yield DeskFooter()

    def check_action(self, action: str, parameters) -> bool | None:
        return self.beta_enabled if action == "beta" else True

    def action_alpha(self) -> None:
        pass

    def action_beta(self) -> None:
        pass


def keys(app) -> list[tuple[str, bool]]:
    return [(key.description, key.disabled) for key in app.query(FooterKey)]


async def test_keys_are_remounted_only_when_they_change():
    app = Keys()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert keys(app) == [("Alpha", False), ("Beta", False)]
        mounted = list(app.query(FooterKey))
        app.refresh_bindings()  # nothing changed: the same key widgets stay
        await pilot.pause()
        assert list(app.query(FooterKey)) == mounted
        app.beta_enabled = False
        app.refresh_bindings()
        await pilot.pause()
        assert keys(app) == [("Alpha", False)]  # False from check_action hides the key
