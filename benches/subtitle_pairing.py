#!/usr/bin/env python3
"""How well bitext's bilingual subtitles pair their two languages, measured over an archive.

    python3 benches/subtitle_pairing.py [--corpus DIR]

Converts the corpus (default ../shared/corpus) to SRT in all three languages with the release build,
reads the files back with the PyPI `srt` package, and prints:
  - empty cues and cues on screen for under 5/6 s (all tracks);
  - bilingual cues showing at most two Han characters against four or more English words;
  - Latin names and numbers (runs of two or more letters or digits, or one digit) written in a bilingual
    cue's Chinese and found in the same cue's English;
  - the ceiling of that last figure: the same tokens counted per segment of the transcript (a Chinese
    paragraph against the English in the `<details>` block after it), found anywhere in the segment's
    English. No pairing of cues can find a name the segment's English does not write.
  - Chinese line breaks with a Latin letter or digit on both sides (at the space between two words of
    a lower-case phrase or a long name; never inside a word, which the corpus tests check).
Word cuts inside Chinese words are measured by tests/subtitles/word_cuts.py (PyPI `jieba` as judge).
"""

import argparse
import pathlib
import re
import subprocess
import sys
import tempfile

import srt

HAN = re.compile(r"[\u3400-\u9fff]")
MARK = re.compile(r"[A-Za-z0-9]{2,}|[0-9]+")


def sides(cue):
    lines = cue.content.split("\n")
    zh = " ".join(l for l in lines if HAN.search(l))
    en = " ".join(l for l in lines if not HAN.search(l))
    return zh, en


def tracks(folder):
    for path in sorted(folder.glob("*.srt")):
        kind = "zh" if path.name.endswith(".zh.srt") else "en" if path.name.endswith(".en.srt") else "bi"
        yield kind, list(srt.parse(path.read_text(encoding="utf-8-sig")))


def segment_ceiling(corpus):
    """Tokens of each segment's Chinese found anywhere in its English, over all segments."""
    found = total = 0
    for path in sorted(corpus.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
        parts = re.split(r"<details[^>]*>(.*?)</details>", text, flags=re.S)
        for k in range(0, len(parts) - 1, 2):
            chinese = re.sub(r"<[^>]+>", "", parts[k]).strip()
            chinese = chinese.split("\n\n")[-1] if chinese else ""
            if not HAN.search(chinese):
                continue
            english = parts[k + 1].lower()
            for mark in MARK.findall(chinese):
                total += 1
                found += mark.lower() in english
    return found, total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default=str(pathlib.Path(__file__).resolve().parents[1] / "../shared/corpus"))
    args = parser.parse_args()
    corpus = pathlib.Path(args.corpus).resolve()
    root = pathlib.Path(__file__).resolve().parents[1]
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=root, check=True)
    with tempfile.TemporaryDirectory() as out:
        out = pathlib.Path(out)
        subprocess.run(
            [str(root / "target/release/bitext"), "convert", str(corpus), "-o", str(out), "-t", "srt", "-l", "zh,en,bi", "-q"],
            check=True,
        )
        cues = empty = short = bilingual = slight = marks = found = breaks = latin_cut = 0
        for kind, track in tracks(out):
            for cue in track:
                cues += 1
                empty += not cue.content.strip()
                short += (cue.end - cue.start).total_seconds() < 5 / 6 - 0.002
                zh_lines = [l for l in cue.content.split("\n") if HAN.search(l)]
                for a, b in zip(zh_lines, zh_lines[1:]):
                    breaks += 1
                    latin_cut += bool(re.search(r"[A-Za-z0-9]$", a) and re.match(r"[A-Za-z0-9]", b))
                if kind != "bi":
                    continue
                zh, en = sides(cue)
                if not zh or not en:
                    continue
                bilingual += 1
                slight += len(HAN.findall(zh)) <= 2 and len(en.split()) >= 4
                for mark in MARK.findall(zh):
                    marks += 1
                    found += mark.lower() in en.lower()
    ceiling_found, ceiling_total = segment_ceiling(corpus)
    print(f"cues {cues}: empty {empty}, under 5/6 s {short}")
    print(f"bilingual cues {bilingual}: <= 2 Han characters against 4+ English words {slight} ({100 * slight / max(bilingual, 1):.2f}%)")
    print(f"names and numbers of a cue's Chinese in its English: {found} of {marks} ({100 * found / max(marks, 1):.1f}%)")
    print(
        f"  ceiling, per segment: {ceiling_found} of {ceiling_total} ({100 * ceiling_found / max(ceiling_total, 1):.1f}%)"
    )
    print(f"Chinese line breaks {breaks}: between two Latin words {latin_cut}")


if __name__ == "__main__":
    sys.exit(main())
