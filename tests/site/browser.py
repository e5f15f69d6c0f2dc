#!/usr/bin/env python3
"""The website in a real browser: Debian's Chromium driven by Playwright (no browser download).

    python3 tests/site/browser.py SITE_DIR [--shots DIR]

Serves SITE_DIR on 127.0.0.1, then checks, failing with a message on the first problem:
  - search in Chinese and in English offers the transcripts that contain the words
    (宇宙射线, 内存安全, sycophancy, Dario when the corpus is the site; else the words given by
    $BITEXT_SEARCH_CASES as `word=page,word=page`);
  - the language switch: 中文 hides every English block, English every Chinese one, 双语 shows both;
    the choice is remembered on the next page; with JavaScript off both languages show;
  - the keyboard alone reaches the switch and the search box and works them;
  - axe-core (npm, $AXE_CORE_JS) finds no serious or critical violation on the home page, a transcript
    page and a page of search results.
Screenshots at 375 px and 1280 px go to --shots when given.
"""

import argparse
import functools
import http.server
import os
import sys
import threading
import urllib.parse

from playwright.sync_api import sync_playwright

CORPUS_CASES = {
    "宇宙射线": "01-cosmic-rays-bit-flips",
    "内存安全": "02-rust-in-linux-kernel",
    "sycophancy": "06-ai-sycophancy",
    "Dario": "00-dario-amodei",
}


def fail(message):
    sys.exit("site in the browser: " + message)


def serve(folder):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=folder)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def search(page, base, word):
    page.goto(base + "search.html?q=" + urllib.parse.quote(word))
    page.wait_for_function(
        "() => { const s = document.getElementById('search-status').textContent; return s && !s.startsWith('正在'); }",
        timeout=20000,
    )
    return page.eval_on_selector_all("#results li h2 a", "links => links.map(a => a.href)")


def visible(page, selector):
    return page.eval_on_selector_all(selector, "els => els.filter(e => e.getClientRects().length > 0).length")


def axe(page, axe_js, what):
    page.add_script_tag(path=axe_js)
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    if bad:
        fail(f"axe-core on {what}: " + "; ".join(f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in bad))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("site")
    ap.add_argument("--shots")
    args = ap.parse_args()
    axe_js = os.environ.get("AXE_CORE_JS")
    if not axe_js or not os.path.isfile(axe_js):
        fail("set AXE_CORE_JS to axe-core's axe.min.js (npm install axe-core)")
    server, base = serve(args.site)
    cases = CORPUS_CASES
    if os.environ.get("BITEXT_SEARCH_CASES"):
        cases = dict(pair.split("=", 1) for pair in os.environ["BITEXT_SEARCH_CASES"].split(","))
    transcripts = sorted(os.listdir(os.path.join(args.site, "t")))
    sample = "t/" + next(t for t in transcripts if t.endswith(".html"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)

        for word, expected in cases.items():
            found = search(page, base, word)
            if not any(expected in link for link in found):
                fail(f"searching {word!r} does not offer {expected}: {found[:5]}")
            for link in found:
                if not link.startswith(base):
                    fail(f"a result leaves the site: {link}")
        axe(page, axe_js, "the search results")

        page.goto(base + sample)
        if visible(page, ".segment .zh") == 0 or visible(page, ".segment .en") == 0:
            fail(f"{sample} does not show both languages at first")
        axe(page, axe_js, sample)
        page.click("button[data-show=zh]")
        if visible(page, ".segment .en, .footnote.en, .stage.en") != 0 or visible(page, ".segment .zh") == 0:
            fail("中文 leaves English showing")
        page.click("button[data-show=en]")
        if visible(page, ".segment .zh, .footnote.zh, .stage.zh") != 0 or visible(page, ".segment .en") == 0:
            fail("English leaves Chinese showing")
        if visible(page, ".ui-zh") != 0:
            fail("English leaves Chinese labels or headings showing")
        other = "t/" + [t for t in transcripts if t.endswith(".html")][-1]
        page.goto(base + other)
        if page.get_attribute("button[data-show=en]", "aria-pressed") != "true" or visible(page, ".segment .zh") != 0:
            fail("the language chosen is not remembered on the next page")
        page.click("button[data-show=bi]")
        if visible(page, ".segment .zh") == 0 or visible(page, ".segment .en") == 0:
            fail("双语 does not show both languages again")

        # The keyboard alone: Tab reaches the switch; Enter on 中文 hides English.
        page.goto(base + sample)
        for _ in range(12):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.dataset.show === 'zh'"):
                break
        else:
            fail("Tab never reaches the 中文 button")
        page.keyboard.press("Enter")
        if visible(page, ".segment .en") != 0:
            fail("Enter on 中文 does not hide the English")
        page.click("button[data-show=bi]")
        page.focus("#site-q")
        page.keyboard.type(list(cases)[0])
        page.keyboard.press("Enter")
        page.wait_for_url("**/search.html?q=*")

        page.goto(base + "index.html")
        axe(page, axe_js, "the home page")
        if args.shots:
            os.makedirs(args.shots, exist_ok=True)
            for width, height in [(375, 812), (1280, 900)]:
                shot = browser.new_page(viewport={"width": width, "height": height})
                for name, path in [("home", "index.html"), ("transcript", sample), ("search", "search.html?q=" + urllib.parse.quote(list(cases)[0]))]:
                    shot.goto(base + path)
                    shot.wait_for_timeout(800 if name == "search" else 100)
                    shot.screenshot(path=os.path.join(args.shots, f"{name}-{width}.png"), full_page=False)
                shot.close()

        quiet = browser.new_context(java_script_enabled=False).new_page()
        quiet.goto(base + sample)
        if visible(quiet, ".segment .zh") == 0 or visible(quiet, ".segment .en") == 0:
            fail("with JavaScript off a page does not show both languages")
        if visible(quiet, ".switch") != 0:
            fail("with JavaScript off the language switch shows, though it cannot work")
        if errors:
            fail("the browser reported: " + "; ".join(errors[:5]))
        browser.close()
    server.shutdown()
    print(f"site in the browser: {len(cases)} searches, the language switch, the keyboard and axe-core on 3 pages: all good")


if __name__ == "__main__":
    main()
