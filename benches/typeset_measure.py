#!/usr/bin/env python3
"""Chinese typesetting quality of PDFs, measured glyph by glyph, the same way for any producer.

    python3 benches/typeset_measure.py [--json] [--verbose] PDF|DIR...
    python3 benches/typeset_measure.py --make-typst OUTDIR [--paper a5] [--unwrap] FILE.md...

Reads every glyph with its box and baseline (PyMuPDF, `page.get_text('rawdict')`), groups glyphs
into visual rows by baseline (across spans and blocks), drops the rows in the top and bottom 8% of
the page (running heads; also a lone page number just inside), and splits rows into lines at the
gutters of a multi-column page (strips almost no row inks) and at gaps wider than 2 em. A column's
edges are where most of its lines start and end (punctuation may hang past them). Counts per file,
Chinese lines being those whose non-punctuation glyphs are 60% Han:
  - full: Chinese lines ending within 1.5 em of their column's right edge (not a paragraph's last
    line); spaced: those whose median gap between neighbouring Han glyphs exceeds 0.12 em, i.e.
    characters pulled apart to justify the line;
  - last: a paragraph's last Chinese line (short of the edge by more than 1.5 em, right below a full
    line, body size, not bold); runts: those with one or two characters, punctuation not counted
    (`型。` is one);
  - widows: columns whose first line ends a paragraph begun on the page before: short (by 1.5 em in
    Chinese, 3 em in English), flush left (not an indented first line), at the body size of its
    language and not bold (not a heading), the page before ending in the same language (on a full
    line if Chinese), and a new paragraph (or nothing) below it.
`--make-typst` writes the reference PDFs: pandoc (3.x: pypandoc_binary's, else the system's)
`-t typst -s` with lang zh and bitext's Chinese font, then the PyPI `typst` package.
Needs `pip install pymupdf` (and `typst pypandoc_binary` for --make-typst).
"""

import argparse
import json
import math
import os
import re
import statistics
import subprocess
import sys
import unicodedata
from collections import Counter

HEAD_ZONE = 0.08  # share of the page height, top and bottom, holding running heads and folios
FULL_EM_ZH = 1.5  # a Chinese line ending within this of the column edge is full
FULL_EM_EN = 3.0  # the same for a ragged-right English line
SPACED_EM = 0.12  # median Han-to-Han gap above which a line counts as stretched
SPLIT_EM = 2.0  # a horizontal gap wider than this splits a row into two lines (columns)


def is_han(ch):
    """CJK unified ideographs, extension A, compatibility ideographs, and the supplementary planes."""
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3FFFF


def is_punct(ch):
    return unicodedata.category(ch)[0] in "PSZ" or ch.isspace()


def is_folio(text):
    """A page number: digits, or a short roman numeral."""
    return text.isdigit() or re.fullmatch(r"(?=.)c{0,3}(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})", text.lower()) is not None


class Line:
    """Glyphs of one row (or of one column of a row), left to right."""

    def __init__(self, glyphs):
        self.glyphs = glyphs  # (char, x0, x1, baseline y, size, bold)
        self.x0 = min(g[1] for g in glyphs)
        self.x1 = max(g[2] for g in glyphs)
        self.y = statistics.median(g[3] for g in glyphs)
        self.size = Counter(round(g[4], 1) for g in glyphs).most_common(1)[0][0]
        self.bold = sum(g[5] for g in glyphs) > len(glyphs) / 2
        # the text, for --verbose: a space between Latin glyphs more than 0.15 em apart
        self.text = glyphs[0][0] + "".join(
            (" " if b[1] - a[2] > 0.15 * b[4] and not (is_han(a[0]) or is_han(b[0])) else "") + b[0]
            for a, b in zip(glyphs, glyphs[1:]))
        # Chinese: 60% Han among the non-punctuation glyphs (so that a last line `型。` is Chinese)
        letters = [g[0] for g in glyphs if not is_punct(g[0])]
        self.zh = bool(letters) and sum(map(is_han, letters)) >= 0.6 * len(letters)

    def short_by(self, right):
        """How far, in em, the line stops short of the column's right edge."""
        return (right - self.x1) / self.size

    def han_gap(self):
        """Median gap between neighbouring Han glyphs, in em; None without two neighbours."""
        gaps = [(b[1] - a[2]) / a[4] for a, b in zip(self.glyphs, self.glyphs[1:]) if is_han(a[0]) and is_han(b[0])]
        return statistics.median(gaps) if gaps else None


def page_lines(page):
    """Body lines of a page and its columns' x spans: glyphs grouped by baseline, head zones dropped,
    rows split at the gutters between columns and at gaps wider than 2 em."""
    glyphs = []
    for block in page.get_text("rawdict")["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                for c in span["chars"]:
                    if not c["c"].isspace() and c["bbox"][2] > c["bbox"][0]:
                        bold = bool(span["flags"] & 16) or "bold" in span["font"].lower()
                        glyphs.append((c["c"], c["bbox"][0], c["bbox"][2], c["origin"][1], span["size"], bold))
    glyphs.sort(key=lambda g: g[3])
    rows, h = [], page.rect.height
    for g in glyphs:  # same baseline within 1 pt, whatever span or block the glyph came from
        if rows and abs(g[3] - rows[-1][-1][3]) <= 1.0:
            rows[-1].append(g)
        else:
            rows.append([g])
    rows = [sorted(r, key=lambda g: g[1]) for r in rows
            if HEAD_ZONE * h <= statistics.median(g[3] for g in r) <= (1 - HEAD_ZONE) * h]
    # a folio just inside the zones (typst sets it at 91% of the height): a first or last row of digits
    for end in (-1, 0):
        if rows and is_folio("".join(g[0] for g in rows[end])):
            rows.pop(end)
    if not rows:
        return [], []
    x_lo, x_hi = min(r[0][1] for r in rows), max(g[2] for r in rows for g in r)
    cuts = gutters(rows, x_lo, x_hi)
    lines = []
    for row in rows:
        start = 0
        for i in range(1, len(row) + 1):
            if (i == len(row) or row[i][1] - row[i - 1][2] > SPLIT_EM * row[i - 1][4]
                    or any(row[i - 1][2] <= x <= row[i][1] for x in cuts)):
                lines.append(Line(row[start:i]))
                start = i
    bounds = [x_lo] + cuts + [x_hi]
    return lines, list(zip(bounds, bounds[1:]))


def gutters(rows, x_lo, x_hi):
    """Middles of the vertical strips, 6 pt wide or more, inside the text area that at most a tenth of
    the rows ink (a heading may cross): the gutters of a multi-column page (a gutter may be under 2 em)."""
    if len(rows) < 5:
        return []
    cover = [0] * (int(x_hi - x_lo) + 2)
    for row in rows:
        inked = set()
        for g in row:  # the whole points inside the glyph's box
            inked.update(range(math.ceil(g[1] - x_lo), math.floor(g[2] - x_lo)))
        for x in inked:
            cover[x] += 1
    cuts, x = [], 0
    while x < len(cover):
        if cover[x] <= 0.1 * len(rows):
            start = x
            while x < len(cover) and cover[x] <= 0.1 * len(rows):
                x += 1
            if start > 0 and x < len(cover) - 1 and x - start >= 6:  # inked on both sides
                cuts.append(x_lo + (start + x) / 2)
        x += 1
    return cuts


def columns(lines, spans):
    """Lines by column (the span each overlaps most), top to bottom, with the column's left and right
    edges taken from the lines that stay inside it (a heading across both columns does not)."""
    def overlap(ln, j):
        return min(ln.x1, spans[j][1]) - max(ln.x0, spans[j][0])

    cols = []
    for k, (s, e) in enumerate(spans):
        members = [ln for ln in lines if k == max(range(len(spans)), key=lambda j: overlap(ln, j))]
        if not members:
            continue
        members.sort(key=lambda ln: (ln.y, ln.x0))
        inside = [ln for ln in members if s - 1 <= ln.x0 and ln.x1 <= e + 1] or members
        left = edge([ln.x0 for ln in inside], min)
        right = edge([ln.x1 for ln in inside if ln.x1 > max(x.x1 for x in inside) - 2 * ln.size], max)
        cols.append((members, left, right))
    return cols


def edge(xs, extreme):
    """Where most of these line ends fall (to the point): the justified edge, not a line whose hanging
    punctuation sticks out past it; the extreme one when no two lines agree (ragged text)."""
    counts = Counter(round(x) for x in xs)
    at, n = max(counts.items(), key=lambda kv: (kv[1], -kv[0] if extreme is max else kv[0]))
    return extreme(x for x in xs if round(x) == at) if n >= 2 else extreme(xs)


def measure(path, verbose=False):
    """Counts for one PDF."""
    try:
        import pymupdf  # PyMuPDF 1.24+; older versions only have the `fitz` name
    except ImportError:
        try:
            import fitz as pymupdf
        except ImportError:
            sys.exit("typeset_measure.py needs PyMuPDF: pip install pymupdf")
    doc = pymupdf.open(path)
    r = Counter(pages=len(doc))
    before = []  # the last line of each column of the page before, with its column's right edge
    for pno, page in enumerate(doc):
        lines, spans = page_lines(page)
        if not lines:
            before = []
            continue
        # body size, Chinese and English apart (a bilingual page may set them at different sizes)
        body = {zh: Counter(ln.size for ln in lines if ln.zh == zh for _ in ln.glyphs).most_common(1)[0][0]
                for zh in {ln.zh for ln in lines}}
        cols = columns(lines, spans)
        for k, (members, left, right) in enumerate(cols):
            prev = None
            for ln in members:
                full = ln.short_by(right) <= FULL_EM_ZH
                if ln.zh and full:
                    r["full"] += 1
                    gap = ln.han_gap()
                    if gap is not None and gap > SPACED_EM:
                        r["spaced"] += 1
                        if verbose:
                            print(f"  spaced p{pno + 1} {gap:.2f}em: {ln.text}")
                # a paragraph's last line: short, right below a full line; body text, not a heading's
                if (ln.zh and not full and prev is not None and prev.short_by(right) <= FULL_EM_ZH
                        and 0 < ln.y - prev.y < 2 * ln.size and ln.size == body[True] and not ln.bold):
                    r["last_lines"] += 1
                    if sum(not is_punct(ch) for ch in ln.text) <= 2:
                        r["runts"] += 1
                        if verbose:
                            print(f"  runt   p{pno + 1}: {prev.text[-12:]} / {ln.text}")
                prev = ln
            # widow: the first line is a paragraph's short last line, the paragraph begun on an earlier page
            top, below = members[0], members[1] if len(members) > 1 else None
            steps = [b.y - a.y for a, b in zip(members, members[1:]) if 0 < b.y - a.y < 2 * b.size]
            pitch = statistics.median(steps) if steps else 2 * top.size  # baseline to baseline within a paragraph
            short = top.short_by(right) > (FULL_EM_ZH if top.zh else FULL_EM_EN)
            flush = top.x0 - left < 0.5 * top.size  # not indented, so not a paragraph's first line
            # what follows starts a new paragraph: nothing, a wider step, an indent, or the other language
            # (needed for ragged-right English, where a short line may be mid-paragraph)
            ends = (below is None or below.y - top.y > 1.2 * pitch or below.x0 - left >= top.size
                    or below.zh != top.zh)
            # continued: the page before ends (in this column) with a line of the same language, full if Chinese
            last, last_right = (before[k] if len(before) == len(cols) else before[-1]) if before else (None, 0)
            continued = (last is not None and last.zh == top.zh
                         and (not top.zh or last.short_by(last_right) <= FULL_EM_ZH))
            if continued and short and flush and ends and top.size == body[top.zh] and not top.bold:
                r["widows"] += 1
                if verbose:
                    print(f"  widow  p{pno + 1}: {top.text}")
        before = [(members[-1], right) for members, _, right in cols]
    return r


def make_typst(outdir, files, paper, unwrap):
    """Reference PDFs: pandoc -t typst -s, then the typst package, one pair per file. The main font is
    bitext's Chinese font (Noto Serif CJK SC; typst's default has no Han, and its fallback picks a JP
    face). With `unwrap`, the <details> of each English passage become plain paragraphs first: pandoc
    drops the raw HTML without a paragraph break, which runs each English passage into the Chinese."""
    try:
        import pypandoc

        pandoc = pypandoc.get_pandoc_path()
    except Exception:
        pandoc = "pandoc"
    import typst

    os.makedirs(outdir, exist_ok=True)
    for f in files:
        stem = os.path.join(outdir, os.path.splitext(os.path.basename(f))[0])
        with open(f, encoding="utf-8") as fh:
            text = fh.read()
        if unwrap:
            text = re.sub(r"<summary>.*?</summary>", "", text)
            text = re.sub(r"</?(details|p)\b[^>]*>", "\n\n", text)
        subprocess.run([pandoc, "-f", "markdown", "-t", "typst", "-s", "-V", f"papersize={paper}", "-V", "lang=zh",
                        "-V", "mainfont=Noto Serif CJK SC", "-o", stem + ".typ"], input=text.encode(), check=True)
        typst.compile(stem + ".typ", output=stem + ".pdf", font_paths=["/usr/share/fonts"])
        print(stem + ".pdf")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="+", help="PDFs or folders of PDFs (with --make-typst: markdown files)")
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    ap.add_argument("--verbose", "-v", action="store_true", help="print every spaced line, runt and widow")
    ap.add_argument("--make-typst", metavar="OUTDIR", help="write pandoc+typst PDFs of the markdown files to OUTDIR")
    ap.add_argument("--paper", default="a5", help="paper for --make-typst (typst names: a5, a4, us-letter)")
    ap.add_argument("--unwrap", action="store_true", help="--make-typst: English passages as their own paragraphs")
    args = ap.parse_args()
    if args.make_typst:
        return make_typst(args.make_typst, args.paths, args.paper, args.unwrap)
    pdfs = []
    for p in args.paths:
        if os.path.isdir(p):
            pdfs += sorted(os.path.join(p, f) for f in os.listdir(p) if f.lower().endswith(".pdf"))
        else:
            pdfs.append(p)
    results, total = {}, Counter()
    for p in pdfs:
        if args.verbose:
            print(p)
        results[p] = measure(p, args.verbose)
        total.update(results[p])
    keys = ["pages", "full", "spaced", "last_lines", "runts", "widows"]
    if args.json:
        out = {p: {k: r[k] for k in keys} for p, r in results.items()}
        out["total"] = {k: total[k] for k in keys}
        print(json.dumps(out, indent=2))
        return
    print(f"{'file':<44} {'pages':>5} {'full':>5} {'spaced':>12} {'last':>5} {'runts':>5} {'widows':>6}")
    for name, r in list(results.items()) + [("total", total)]:
        pct = f"{r['spaced']} ({100 * r['spaced'] / r['full']:.0f}%)" if r["full"] else "0"
        label = os.path.basename(name)[:44]
        print(f"{label:<44} {r['pages']:>5} {r['full']:>5} {pct:>12} {r['last_lines']:>5} {r['runts']:>5} {r['widows']:>6}")


if __name__ == "__main__":
    sys.exit(main())
