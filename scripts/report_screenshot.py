"""Retake the README's screenshots of the analyst's report (docs/img/) with headless Chromium.

    make run                                          # publishes and writes warehouse/report/
    .venv/bin/python scripts/report_screenshot.py     # docs/img/report*.png from that report

By default the pictures are taken from the report the last publish wrote
(`warehouse/report/index.html`, or beside $CIVCAS_WAREHOUSE); `--warehouse FILE` writes a report
from another warehouse first (into `--out`). Three PNGs, each the page's full width:
`report.png` (the top of the page down to the sources' monthly chart), `report_disagreements.png`
and `report_map.png` (those sections). Debian's /usr/bin/chromium, no browser download. Check
that the figures the README quotes beside each picture still match it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

from civcas.report_site import write_report
from civcas.settings import REPO_ROOT, load_settings

CHROMIUM = "/usr/bin/chromium"
WIDTH = 1240  # the page's content is at most 1200 px wide, plus its margins
MARGIN = 16
MAX_BYTES = 400_000


def _clip(top: float, bottom: float) -> dict[str, float]:
    return {"x": 0, "y": max(top - MARGIN, 0), "width": WIDTH, "height": bottom - top + 2 * MARGIN}


def take(index: Path, out_dir: Path) -> list[Path]:
    shots: list[Path] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            page = browser.new_page(viewport={"width": WIDTH, "height": 1000})
            page.goto(index.as_uri())
            # The top, down to the sources' chart and the "Figures per month" switch under it.
            below = page.locator("#sources details").first.bounding_box()
            clips = {"report.png": _clip(MARGIN, below["y"] + below["height"])}
            for section in ("disagreements", "map"):
                box = page.locator(f"#{section}").bounding_box()
                clips[f"report_{section}.png"] = _clip(box["y"], box["y"] + box["height"])
            out_dir.mkdir(parents=True, exist_ok=True)
            for name, clip in clips.items():
                png = out_dir / name
                page.screenshot(path=str(png), clip=clip, full_page=True)
                shots.append(png)
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
