"""Take screenshots of pages with headless Chromium, to look at them as a person would.

Usage: .venv/bin/python scripts/screenshot.py URL OUT.png [--width 1280] [--full]
"""

import argparse

from playwright.sync_api import sync_playwright

ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("out")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--full", action="store_true")
    options = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": options.width, "height": options.height})
        page.goto(options.url)
        page.screenshot(path=options.out, full_page=options.full)
        browser.close()


if __name__ == "__main__":
    main()
