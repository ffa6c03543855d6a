"""Write the report from a warehouse and take PNGs of it with headless Chromium (docs/img/):
the top of the page, then the disagreements and the map sections."""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

from civcas.report_site import write_report


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("warehouse", type=Path)
    args.add_argument("--out", type=Path, default=Path("/tmp/civcas_report"))
    args.add_argument("--png", type=Path, default=Path("docs/img/report.png"))
    args.add_argument("--height", type=int, default=1400)
    options = args.parse_args()
    index = write_report(options.warehouse, options.out)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        page = browser.new_page(viewport={"width": 1240, "height": options.height})
        page.goto(index.as_uri())
        options.png.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(options.png), full_page=False)
        print(options.png)
        for section in ("disagreements", "map"):
            png = options.png.with_name(f"{options.png.stem}_{section}.png")
            page.locator(f"#{section}").screenshot(path=str(png))
            print(png)
        browser.close()


if __name__ == "__main__":
    main()
