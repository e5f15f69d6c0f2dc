#!/usr/bin/env python3
"""Read every .srt, .vtt and .ass under a folder with third-party parsers (PyPI `srt`, `webvtt-py` and
`pysubs2`) and check what a player would: the files parse, cue times increase without overlap, at least two
frames apart, 5/6 s to 7 s long. An .ass file must also show the same cues, text and times (to its
centisecond clock) as the .srt beside it, with the two styles it names. Prints one line per problem and a
summary; exits 1 on any problem.

    python3 tests/subtitles/check.py FOLDER
"""

import pathlib
import sys

import pysubs2
import srt
import webvtt


def seconds(td):
    return td.total_seconds()


def check(name, spans, problems, slack=0.002):
    """`slack` is the clock's rounding: milliseconds for SRT and VTT, up to 10 ms for ASS centiseconds."""
    previous_end = None
    for i, (start, end) in enumerate(spans, 1):
        duration = end - start
        if not (5 / 6 - slack <= duration <= 7 + slack):
            problems.append(f"{name}: cue {i} lasts {duration:.3f}s")
        if previous_end is not None and start - previous_end < 0.083 - slack:
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
    for path in sorted(folder.rglob("*.ass")):
        files += 1
        check_ass(path, problems)
    for p in problems[:50]:
        print(p)
    print(f"third-party parsers: {files} files, {len(problems)} problems")
    sys.exit(1 if problems or files == 0 else 0)


def check_ass(path, problems):
    subs = pysubs2.load(str(path), encoding="utf-8-sig")
    name = path.name
    if set(subs.styles) != {"Chinese", "English"}:
        problems.append(f"{name}: styles {sorted(subs.styles)}")
    events = [e for e in subs.events if e.type == "Dialogue"]
    check(name, [(e.start / 1000, e.end / 1000) for e in events], problems, slack=0.011)
    for e in events:
        if e.style not in subs.styles:
            problems.append(f"{name}: an event uses the unknown style {e.style}")
    twin = path.with_suffix(".srt")
    if not twin.exists():
        return
    cues = list(srt.parse(twin.read_text(encoding="utf-8-sig")))
    if len(cues) != len(events):
        problems.append(f"{name}: {len(events)} events but {len(cues)} cues in {twin.name}")
        return
    for i, (e, c) in enumerate(zip(events, cues), 1):
        if abs(e.start / 1000 - seconds(c.start)) > 0.006 or abs(e.end / 1000 - seconds(c.end)) > 0.006:
            problems.append(f"{name}: event {i} is not timed as cue {i} of {twin.name}")
        if e.plaintext != c.content:
            problems.append(f"{name}: event {i} shows {e.plaintext!r}, {twin.name} shows {c.content!r}")


def _secs(stamp):
    h, m, s = stamp.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


if __name__ == "__main__":
    main()
