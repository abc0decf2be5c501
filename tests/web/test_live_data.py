"""A coordinator edits the data files while the line runs: good edits take effect, a broken edit
is reported as file:line and the service keeps its last good data."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from helpline.web.app import create_app

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def live_app(settings, clock, tmp_path):  # type: ignore[no-untyped-def]
    partners = tmp_path / "partners"
    shutil.copytree(ROOT / "partners", partners)
    rules = tmp_path / "routing_rules.yaml"
    text = (ROOT / "routing_rules.yaml").read_text(encoding="utf-8")
    rules.write_text(text.replace("tests/data/", f"{ROOT}/tests/data/"), encoding="utf-8")
    app = create_app(
        settings.model_copy(update={"partners_dir": partners, "rules_file": rules}), clock=clock
    )
    app.extensions["helpline"].current_router.interval = 0
    yield app, partners
    app.extensions["helpline"].engine.dispose()


def _partner_name(app, partner_id: str) -> str:  # type: ignore[no-untyped-def]
    return app.extensions["helpline"].router.directory[partner_id].name


def test_a_good_edit_takes_effect_without_a_restart(live_app):  # type: ignore[no-untyped-def]
    app, partners = live_app
    path = partners / "wijkteam-noord.yaml"
    text = path.read_text(encoding="utf-8")
    old = _partner_name(app, "wijkteam-noord")
    path.write_text(text.replace(old, "Wijkteam Noord (nieuw)", 1), encoding="utf-8")
    assert _partner_name(app, "wijkteam-noord") == "Wijkteam Noord (nieuw)"


def test_a_broken_edit_is_reported_and_the_last_good_data_stays(live_app, caplog):  # type: ignore[no-untyped-def]
    app, partners = live_app
    old = _partner_name(app, "wijkteam-noord")
    path = partners / "wijkteam-noord.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("name:", "naam:", 1), encoding="utf-8")
    with caplog.at_level(logging.ERROR):
        assert _partner_name(app, "wijkteam-noord") == old
    assert f"{path}:1: naam: Extra inputs are not permitted" in caplog.text
    response = app.test_client().post("/api/route", json={"text": "mijn vader heeft alzheimer"})
    assert response.status_code == 200
