"""What people see besides the digest, as the demo captured it from the real app, and the
pictures ``python -m fakeslack.pictures`` draws from it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from bot.checkins.blocks.answer_modal import CHECKIN_FORM_CALLBACK
from bot.checkins.blocks.prompts import ANSWER_ACTION as CHECKIN_ANSWER
from bot.checkins.blocks.prompts import SKIP_ACTION as CHECKIN_SKIP
from bot.cli import main
from bot.demo import bakery, surfaces
from bot.home.blocks import OPEN_UPDATE_ACTION
from bot.pulse.delivery import ANSWER_ACTION as PULSE_ANSWER
from fakeslack import pictures, validate_message, validate_view

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
needs_chromium = pytest.mark.skipif(pictures.find_browser() is None, reason=pictures.INSTALL)


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    assert main(["demo", "--out", str(folder), "--weeks", "1"]) == 0
    return folder


def document(folder: Path, name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((folder / name).read_text(encoding="utf-8"))
    return loaded


def buttons(payload: Any) -> set[tuple[str, str]]:
    """(action_id, value) of every button anywhere in a message or view."""
    found: set[tuple[str, str]] = set()
    if isinstance(payload, dict):
        if payload.get("type") == "button":
            found.add((str(payload["action_id"]), str(payload.get("value"))))
        for item in payload.values():
            found |= buttons(item)
    elif isinstance(payload, list):
        for item in payload:
            found |= buttons(item)
    return found


def test_the_home_tabs_are_what_the_app_published_for_each_person(demo_folder: Path) -> None:
    employee = document(demo_folder, surfaces.HOME_EMPLOYEE)
    admin = document(demo_folder, surfaces.HOME_ADMIN)

    assert employee["method"] == admin["method"] == "views.publish"
    assert employee["person"] == bakery.NAMES[surfaces.EMPLOYEE]
    assert admin["person"] == bakery.NAMES[bakery.OWNER]
    for home in (employee, admin):
        assert home["view"]["type"] == "home"
        assert validate_view(home["view"]) == []
    leo_goal = next(i for i, g in enumerate(bakery.GOALS, 1) if g.owner == surfaces.EMPLOYEE)
    assert (OPEN_UPDATE_ACTION, str(leo_goal)) in buttons(employee["view"])
    assert (OPEN_UPDATE_ACTION, "1") in buttons(admin["view"])  # G-1 is Rosa's
    assert (OPEN_UPDATE_ACTION, "1") not in buttons(employee["view"])
    assert admin["view"]["blocks"] != employee["view"]["blocks"]


def test_the_checkin_dm_and_the_form_its_button_opened_belong_together(
    demo_folder: Path,
) -> None:
    dm = document(demo_folder, surfaces.CHECKIN_DM)
    form = document(demo_folder, surfaces.CHECKIN_FORM)

    assert dm["method"] == "chat.postMessage" and form["method"] == "views.open"
    assert dm["person"] == form["person"]
    assert dm["channel"] in bakery.NAMES and bakery.NAMES[dm["channel"]] == dm["person"]
    assert validate_message(dm) == []
    delivery = {value for action, value in buttons(dm) if action == CHECKIN_ANSWER}
    assert len(delivery) == 1
    assert (CHECKIN_SKIP, *delivery) in buttons(dm)
    assert form["view"]["type"] == "modal"
    assert form["view"]["callback_id"] == CHECKIN_FORM_CALLBACK
    assert validate_view(form["view"]) == []
    assert any(block["type"] == "input" for block in form["view"]["blocks"])


def test_the_survey_invitation_is_a_dm_with_its_answer_button(demo_folder: Path) -> None:
    invitation = document(demo_folder, surfaces.SURVEY_INVITATION)

    assert invitation["method"] == "chat.postMessage"
    assert bakery.NAMES[invitation["channel"]] == invitation["person"]
    assert validate_message(invitation) == []
    assert (PULSE_ANSWER, "1") in buttons(invitation)  # P-1, the month's survey


def test_the_readme_lists_the_new_files_and_people_names_every_id(demo_folder: Path) -> None:
    readme = (demo_folder / "README.txt").read_text(encoding="utf-8")
    for name in (*surfaces.FILES, "people.json"):
        assert f"\n{name} " in readme, name
    people = document(demo_folder, "people.json")
    assert people["users"] == bakery.NAMES
    assert people["channels"][bakery.DIGEST_CHANNEL] == bakery.DIGEST_CHANNEL_NAME


@needs_chromium
def test_pictures_draws_each_surface_as_a_small_png_of_slacks_width(
    demo_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "pictures"
    assert pictures.main([str(demo_folder), str(out)]) == 0

    drawn = {path.name for path in out.iterdir()}
    assert drawn == {picture.png for picture in pictures.PICTURES}
    assert capsys.readouterr().out.split() == [str(out / p.png) for p in pictures.PICTURES]
    for picture in pictures.PICTURES:
        path = out / picture.png
        assert path.read_bytes().startswith(PNG_SIGNATURE)
        assert path.stat().st_size < pictures.MAX_BYTES, picture.png
        with Image.open(path) as image:
            assert image.width == picture.width
            assert 120 < image.height < pictures.MAX_HEIGHT, picture.png
            assert len(image.convert("RGB").getcolors(1 << 24) or []) > 16  # not blank


def test_pictures_without_chromium_says_how_to_install_it(
    demo_folder: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no browser on it

    assert pictures.main([str(demo_folder), str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == "install chromium: apt-get install -y chromium\n"
    assert not (tmp_path / "out").exists()


def test_pictures_of_a_folder_without_the_demo_says_to_run_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = pictures.main([str(tmp_path), str(tmp_path / "out"), "--browser", "/bin/false"])

    assert code == 1
    assert f"run `northstar demo --out {tmp_path}` first" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("broken", ["{not json", "[1, 2]", '{"company": {"post": 3}}'])
def test_pictures_names_a_file_it_cannot_draw_before_drawing_anything(
    demo_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], broken: str
) -> None:
    folder = tmp_path / "demo"
    shutil.copytree(demo_folder, folder)
    (folder / surfaces.CHECKIN_FORM).write_text(broken)

    code = pictures.main([str(folder), str(tmp_path / "out"), "--browser", "/bin/false"])

    assert code == 1
    assert f"{folder / surfaces.CHECKIN_FORM} cannot be drawn: " in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_pictures_reports_a_browser_that_cannot_start(
    demo_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no-such-chromium"

    assert pictures.main([str(demo_folder), str(tmp_path / "out"), "--browser", str(missing)]) == 1
    assert f"{missing} could not draw digest.html" in capsys.readouterr().err
