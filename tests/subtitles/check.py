#!/usr/bin/env python3
"""Read every .srt and .vtt under a folder with third-party parsers (PyPI `srt` and `webvtt-py`) and check
what a player would: the files parse, cue times increase without overlap, at least two frames apart,
5/6 s to 7 s long. Prints one line per problem and a summary; exits 1 on any problem.

    python3 tests/subtitles/check.py FOLDER
"""

import pathlib
import sys

import srt
import webvtt


def seconds(td):
    return td.total_seconds()


def check(name, spans, problems):
    previous_end = None
    for i, (start, end) in enumerate(spans, 1):
        duration = end - start
        if not (5 / 6 - 0.002 <= duration <= 7.002):
            problems.append(f"{name}: cue {i} lasts {duration:.3f}s")
        if previous_end is not None and start - previous_end < 0.083:
            problems.append(f"{name}: cue {i} starts {start - previous_end:.3f}s after the previous one ends")
        previous_end = end


def main():
    folder = pathlib.Path(sys.argv[1])
    problems = []
    files = 0
    for path in sorted(folder.rglob("*.srt")):
        files += 1
        cues = list(srt.parse(path.read_text(encoding="utf-8-sig")))
        if not cues:
            problems.append(f"{path.name}: no cues")
        check(path.name, [(seconds(c.start), seconds(c.end)) for c in cues], problems)
    for path in sorted(folder.rglob("*.vtt")):
        files += 1
        captions = webvtt.read(str(path))
        check(path.name, [(_secs(c.start), _secs(c.end)) for c in captions], problems)
    for p in problems[:50]:
        print(p)
    print(f"third-party parsers: {files} files, {len(problems)} problems")
    sys.exit(1 if problems or files == 0 else 0)


def _secs(stamp):
    h, m, s = stamp.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


if __name__ == "__main__":
    main()
