"""The home screen at 80x24 (issue 12 §14): every screen key is on screen, F12 included."""

from __future__ import annotations

import pytest
from textual.widgets._footer import FooterKey

from tests.helpers import make_app, until


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_the_home_footer_and_key_panel_show_f12_at_80x24(desk_store, lang):
    app = make_app(desk_store, user="孙经理", lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        # the footer composes its keys after the screen's bindings settle (later on a busy
        # machine): wait for F12 to be laid out, then check where it is
        def f12_laid_out() -> bool:
            return any(key.key == "f12" and key.region.width > 0 for key in app.screen.query(FooterKey))

        assert await until(pilot, f12_laid_out)
        keys = {key.key: key for key in app.screen.query(FooterKey)}
        assert "f12" in keys
        assert 0 < keys["f12"].region.right <= 80 and keys["f12"].region.width > 0
        assert "F12" in str(app.screen.query_one("#go-keys").render())
