"""Screenshots of the sample site's main pages for docs/screenshots/ (360 px and 1280 px).

    .venv/bin/python tests/make_screenshots.py [--site DIR] [--out docs/screenshots]

Builds the sample site (unless --site is given), serves it on 127.0.0.1 and shoots each
page in Debian's Chromium: the top 2400 px of the page at 360 px wide, 1600 px at 1280.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from audit_lighthouse import build_sample, serve  # noqa: E402
from browser import CHROMIUM, LAUNCH_ARGS, ROOT, VISITS, goto  # noqa: E402

SHOTS = {**{k: v for k, v in VISITS.items() if k != "search"},
         "search": VISITS["search-results"], "workers": "workers/", "tags": "tags/"}
SHOTS.pop("search-results")
WIDTHS = {360: 2400, 1280: 1600}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", type=Path)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    site = args.site or build_sample(Path(tempfile.mkdtemp(prefix="nr-shots-")))
    server, base = serve(site)
    args.out.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            for width, max_height in WIDTHS.items():
                ctx = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
                page = ctx.new_page()
                for name, path in SHOTS.items():
                    goto(page, base + path)
                    page.evaluate("""async () => { for (const img of document.images) { img.loading = 'eager';
                        if (!img.complete) await new Promise(r => { img.onload = img.onerror = r; setTimeout(r, 2000); }); } }""")
                    height = min(max_height, page.evaluate("document.scrollingElement.scrollHeight"))
                    out = args.out / f"{name}-{width}.png"
                    page.screenshot(path=str(out), full_page=True,
                                    clip={"x": 0, "y": 0, "width": width, "height": height})
                    print(out.relative_to(ROOT) if out.is_relative_to(ROOT) else out)
                # The 404 page, on a phone only.
                if width == 360:
                    page.goto(base + "404.html")
                    page.screenshot(path=str(args.out / "404-360.png"))
                ctx.close()
            browser.close()
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
