"""Write the report from a warehouse and take a PNG of it with headless Chromium (docs/img/)."""

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
    args.add_argument("--height", type=int, default=2400)
    options = args.parse_args()
    index = write_report(options.warehouse, options.out)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        page = browser.new_page(viewport={"width": 1040, "height": options.height})
        page.goto(index.as_uri())
        options.png.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(options.png), full_page=False)
        browser.close()
    print(options.png)


if __name__ == "__main__":
    main()
