"""Retake the README's screenshots of the analyst's report (docs/img/) with headless Chromium.

    make run                                          # publishes and writes warehouse/report/
    .venv/bin/python scripts/report_screenshot.py     # docs/img/report*.png from that report

By default the pictures are taken from the report the last publish wrote
(`warehouse/report/index.html`, or beside $CIVCAS_WAREHOUSE); `--warehouse FILE` writes a report
from another warehouse first (into `--out`). Debian's /usr/bin/chromium, no browser download:
`report.png` (filters and the monthly chart, filtered to the US-led coalition), `report_map.png`,
`report_month.png` (the reports behind one of its points), `report_event.png` (al-Jinah, every
source side by side) and `report_phone.png` (the top at 400 px). Check that the figures the README
quotes beside each picture still match them.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from civcas.report_site import write_report
from civcas.settings import REPO_ROOT, load_settings

CHROMIUM = "/usr/bin/chromium"
WIDTH = 1240  # the page's content is at most 1200 px wide, plus its margins
PHONE = 400
MAX_BYTES = 400_000
MONTH = "2017-03"
CHOSEN = "?country=all&belligerent=us_led_coalition&source=airwars&grading=all"
EVENT = "event:airwars:32039"  # al-Jinah mosque, 16 March 2017


def _ready(page: Page, url: str) -> None:
    page.goto(url)
    if url.endswith("index.html"):
        page.wait_for_selector("body[data-ready=true]")


def take(index: Path, out_dir: Path) -> list[Path]:
    site = index.parent
    out_dir.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            page = browser.new_page(viewport={"width": WIDTH, "height": 1000})
            _ready(page, index.as_uri())
            page.select_option("select[name=belligerent]", "us_led_coalition")
            point = f"#monthly-chart g.mark-symbol path[aria-label*='months/{MONTH}.html']"
            page.locator(point).first.hover()
            page.locator("#vg-tooltip-element").wait_for(state="visible")
            top = page.locator("#monthly").bounding_box()
            shots.append(out_dir / "report.png")
            page.screenshot(
                path=str(shots[-1]),
                clip={"x": 0, "y": 0, "width": WIDTH, "height": top["y"] + top["height"] + 16},
            )
            page.mouse.move(0, 0)
            page.select_option("select[name=belligerent]", "all")
            page.add_style_tag(content=".filters{position:static}")  # not over the section
            shots.append(out_dir / "report_map.png")
            page.locator("#map").screenshot(path=str(shots[-1]))
            for name, url in (
                ("report_month.png", (site / "months" / f"{MONTH}.html").as_uri() + CHOSEN),
                ("report_event.png", (site / "events" / f"{MONTH}.html").as_uri() + f"#{EVENT}"),
            ):
                _ready(page, url)
                shots.append(out_dir / name)
                page.screenshot(path=str(shots[-1]))
            phone = browser.new_page(viewport={"width": PHONE, "height": 860})
            _ready(phone, index.as_uri())
            shots.append(out_dir / "report_phone.png")
            phone.screenshot(path=str(shots[-1]))
        finally:
            browser.close()
    return shots


def main() -> None:
    args = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    args.add_argument("--warehouse", type=Path, help="write a report from this warehouse first")
    args.add_argument("--out", type=Path, default=Path("/tmp/civcas_report"))
    args.add_argument("--img", type=Path, default=REPO_ROOT / "docs" / "img")
    options = args.parse_args()
    if options.warehouse:
        index = write_report(options.warehouse, options.out)
    else:
        index = load_settings().report_dir / "index.html"
        if not index.exists():
            args.error(f"{index} does not exist: run `make run` (or pass --warehouse)")
    for png in take(index, options.img):
        size = png.stat().st_size
        print(f"{png} ({size // 1000} KB)" + (" TOO LARGE" if size > MAX_BYTES else ""))


if __name__ == "__main__":
    main()
