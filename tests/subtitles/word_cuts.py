#!/usr/bin/env python3
"""Count the Chinese line and cue boundaries of the Chinese and bilingual .srt files under a folder that
fall inside a word, as an independent segmenter (PyPI `jieba`, not the one bitext uses) reads the track's
Chinese. Prints the share; exits 1 when it is above the bound given (a percentage).

    python3 tests/subtitles/word_cuts.py FOLDER MAX_PERCENT
"""

import logging
import pathlib
import re
import sys

import jieba
import srt

HAN = re.compile(r"[\u3400-\u9fff]")


def main():
    folder, bound = pathlib.Path(sys.argv[1]), float(sys.argv[2])
    jieba.setLogLevel(logging.WARNING)
    total = inside = 0
    examples = []
    for path in sorted(folder.glob("*.srt")):
        if path.name.endswith(".en.srt"):
            continue
        lines = [
            line.strip()
            for cue in srt.parse(path.read_text(encoding="utf-8-sig"))
            for line in cue.content.split("\n")
            if HAN.search(line)
        ]
        text = "".join(lines)
        ends, pos = set(), 0
        for word in jieba.cut(text, HMM=False):
            pos += len(word)
            ends.add(pos)
        pos = 0
        for line in lines[:-1]:
            pos += len(line)
            total += 1
            if pos not in ends and HAN.match(text[pos - 1]) and HAN.match(text[pos]):
                inside += 1
                if len(examples) < 10:
                    examples.append(f"{path.name}: {text[pos - 4:pos]}|{text[pos:pos + 4]}")
    share = 100 * inside / max(total, 1)
    print(f"Chinese line and cue boundaries: {total}, inside a word: {inside} ({share:.1f}%)")
    for e in examples:
        print(f"  {e}")
    sys.exit(1 if share > bound or total == 0 else 0)


if __name__ == "__main__":
    main()
