"""Pictures of what people see, for the docs: the Block Kit ``northstar demo`` wrote, drawn by
``render_html`` and photographed by headless Chromium.

    python -m fakeslack.pictures DEMO_OUT_DIR docs/pictures

Which files become which picture is listed once, in ``PICTURES``; what is in them is whatever
the app sent, so running this again after the app changes redraws the new blocks.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageChops

from .render_html import Renderer, message_page, view_page
from .render_mrkdwn import Names

INSTALL = "install chromium: apt-get install -y chromium"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
EXIT_FAILED, EXIT_NO_BROWSER = 1, 2
PAGE_WIDTH, MODAL_WIDTH = 800, 560  # Slack's message pane; a 520-pixel modal and its margin
FIRST_HEIGHT, MAX_HEIGHT = 2400, 19200
MARGIN = 12  # pixels kept below the content
SHADOW = 10  # a difference from the background this faint is a shadow's tail, not content
MAX_BYTES = 300_000
PEOPLE = "people.json"
APP_DM = "Northstar"


@dataclass(frozen=True)
class Picture:
    png: str
    source: str  # a file of the demo's folder; ``digest-*.json`` means the latest week's
    note: str
    width: int = PAGE_WIDTH


PICTURES = (
    Picture("digest.png", "digest-*.json", "the weekly digest in the company channel"),
    Picture("home-employee.png", "home-employee.json", "the App Home of an employee"),
    Picture("home-admin.png", "home-admin.json", "the App Home of an admin"),
    Picture("checkin-dm.png", "checkin-dm.json", "the weekly check-in DM"),
    Picture("checkin-form.png", "checkin-form.json", "the check-in form", MODAL_WIDTH),
    Picture("survey-invitation.png", "survey-invitation.json", "a pulse survey invitation"),
)


class PicturesFailed(Exception):
    """A file to draw is missing or unreadable, or the browser failed."""


def find_browser() -> str | None:
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def names_in(folder: Path) -> Names:
    """The demo's ``people.json`` (ids to names), else none: mentions then show ids."""
    path = folder / PEOPLE
    if not path.is_file():
        return Names()
    people = json.loads(path.read_text(encoding="utf-8"))
    return Names(users=dict(people.get("users", {})), channels=dict(people.get("channels", {})))


def source_of(folder: Path, picture: Picture) -> Path:
    found = sorted(folder.glob(picture.source))
    if not found:
        raise PicturesFailed(
            f"no {picture.source} in {folder}: run `northstar demo --out {folder}` first"
        )
    return found[-1]  # week keys (2026-W10) sort in time order


def page_of(document: dict[str, Any], renderer: Renderer) -> str:
    """The HTML of a file the demo wrote: a week of digests, a message or a view."""
    company = document.get("company")
    if isinstance(company, dict) and isinstance(company.get("post"), dict):
        where = str(company.get("channel") or "#channel")
        return message_page(company["post"], where=where, renderer=renderer)
    if isinstance(document.get("view"), dict):
        return view_page(document["view"], renderer=renderer)
    if "blocks" in document or "text" in document:
        return message_page(document, where=APP_DM, renderer=renderer)
    raise PicturesFailed("neither a digest, a message nor a view")


def _shoot(browser: str, page: Path, png: Path, width: int, height: int) -> None:
    command = [
        browser,
        "--headless",
        "--disable-gpu",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--host-resolver-rules=MAP * ~NOTFOUND",  # a page drawn for the docs fetches nothing
        f"--screenshot={png}",
        f"--window-size={width},{height}",
        page.as_uri(),
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.insert(1, "--no-sandbox")  # Chromium refuses root without it
    try:
        done = subprocess.run(command, capture_output=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise PicturesFailed(f"{browser} could not draw {page.name}: {error}") from error
    if done.returncode != 0 or not png.is_file():
        raise PicturesFailed(f"{browser} failed: {done.stderr.decode(errors='replace')[-500:]}")


def _content_bottom(image: Image.Image) -> int:
    """The last row that differs from the page's background (its bottom-left pixel) by more
    than a faint shadow."""
    background = Image.new("RGB", image.size, image.getpixel((0, image.height - 1)))
    difference = ImageChops.difference(image, background).convert("L")
    box = difference.point(lambda level: 255 if level > SHADOW else 0).getbbox()
    return box[3] if box else 0


def photograph(browser: str, page: Path, png: Path, width: int) -> None:
    """Screenshot ``page`` ``width`` wide, as tall as its content, into a small PNG."""
    height = FIRST_HEIGHT
    while True:
        _shoot(browser, page, png, width, height)
        with Image.open(png) as shot:
            image = shot.convert("RGB")
        bottom = _content_bottom(image)
        if bottom < height - MARGIN or height >= MAX_HEIGHT:
            break
        height *= 2
    image = image.crop((0, 0, width, min(height, max(bottom + MARGIN, 40))))
    image.save(png, optimize=True)
    if png.stat().st_size > MAX_BYTES:
        image.quantize(colors=256).save(png, optimize=True)


def _read(source: Path, renderer: Renderer) -> str:
    try:
        document = json.loads(source.read_text(encoding="utf-8"))
        if not isinstance(document, dict):
            raise PicturesFailed("not a JSON object")
        return page_of(document, renderer)
    except (OSError, ValueError, PicturesFailed) as error:
        raise PicturesFailed(f"{source} cannot be drawn: {error}") from error


def pages(folder: Path) -> list[tuple[Picture, str]]:
    """The HTML page of each picture, every file read before anything is drawn."""
    try:
        renderer = Renderer(names_in(folder), images=folder)
    except (OSError, ValueError, AttributeError) as error:
        raise PicturesFailed(f"{folder / PEOPLE} cannot be read: {error}") from error
    return [(picture, _read(source_of(folder, picture), renderer)) for picture in PICTURES]


def draw(folder: Path, out: Path, browser: str) -> list[Path]:
    """Every picture of ``PICTURES`` from the demo's ``folder`` into ``out``."""
    ready = pages(folder)
    out.mkdir(parents=True, exist_ok=True)
    drawn = []
    with tempfile.TemporaryDirectory(prefix="northstar-pictures-") as scratch:
        for picture, html in ready:
            page = Path(scratch) / (Path(picture.png).stem + ".html")
            page.write_text(html, encoding="utf-8")
            photograph(browser, page, out / picture.png, picture.width)
            drawn.append(out / picture.png)
    return drawn


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m fakeslack.pictures",
        description="Draw the Block Kit `northstar demo --out DIR` wrote as PNGs.",
    )
    parser.add_argument("demo_folder", type=Path, help="the folder northstar demo wrote")
    parser.add_argument("out", type=Path, help="where the PNGs go (docs/pictures)")
    parser.add_argument("--browser", help="Chromium's path (default: chromium on PATH)")
    args = parser.parse_args(argv)
    browser = args.browser or find_browser()
    if browser is None:
        sys.stderr.write(INSTALL + "\n")
        return EXIT_NO_BROWSER
    try:
        drawn = draw(args.demo_folder, args.out, browser)
    except PicturesFailed as error:
        sys.stderr.write(f"{error}\n")
        return EXIT_FAILED
    for path in drawn:
        sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
