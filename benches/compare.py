#!/usr/bin/env python3
"""Whole-process timings: bitext against pandoc on the same files, in the same run.

    python3 benches/compare.py [--corpus DIR] [--runs N] [--only markdown|epub|pdf|subtitles]

Builds bitext in release mode, then times, for one file and for the whole corpus:
  - markdown: bitext writing markdown in all three languages (bi, zh, en) in one process, against
    `pandoc -f markdown -t markdown`, one process per file, as a user would script it;
  - epub: bitext writing one bilingual EPUB per transcript in one process, against
    `pandoc -f markdown -t epub3`, one process per file; and the anthology of the whole corpus;
  - pdf: bitext writing one bilingual A5 PDF per transcript in one process (at the default thread count
    and at `-j 1`), against pandoc (3.x, from the PyPI package pypandoc_binary when the system pandoc is
    older) `-t typst` (A5, lang zh, Noto Serif CJK SC) then the PyPI `typst` package compiling it, one
    pair of processes per file.
  - subtitles: bitext writing SRT, VTT and ASS in all three languages for the whole corpus, at the
    default thread count and at `-j 1` (no other tool reads this format into subtitles, so no ratio).
bitext runs with --force, so that every run converts everything (its archive manifest would otherwise
make every run after the first a no-op). Reports the median wall time of N runs, the ratio, and the
peak resident memory of each tool.
Needs pandoc on PATH (Debian: apt-get install pandoc).
"""

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def peak_rss_kib(argv_list):
    """Peak RSS in KiB of running each command in turn in a fresh child Python (so the counter is its own)."""
    code = (
        "import resource, subprocess, sys, json\n"
        "for argv in json.loads(sys.argv[1]):\n"
        "    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    import json

    out = subprocess.run([sys.executable, "-c", code, json.dumps(argv_list)], capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


def modern_pandoc():
    """A pandoc that writes typst (3.1.2 or newer): the system's, or the one pypandoc_binary ships."""
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except Exception:
        pass
    out = subprocess.run(["pandoc", "--list-output-formats"], capture_output=True, text=True)
    return "pandoc" if "typst" in out.stdout.split() else None


def timed(argv_list, runs):
    """Median wall time in seconds of running every command of the list, in order, `runs` times."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        for argv in argv_list:
            subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=os.environ.get("BITEXT_CORPUS", os.path.join(ROOT, "..", "shared", "corpus")))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", choices=["markdown", "epub", "pdf", "subtitles"])
    args = parser.parse_args()

    if shutil.which("pandoc") is None:
        sys.exit("pandoc is not on PATH; install it (apt-get install pandoc) to compare")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    bitext = os.path.join(ROOT, "target", "release", "bitext")
    files = sorted(os.path.join(args.corpus, f) for f in os.listdir(args.corpus) if f.endswith(".md"))
    size = sum(os.path.getsize(f) for f in files)
    pandoc_version = subprocess.run(["pandoc", "--version"], capture_output=True, text=True).stdout.splitlines()[0]

    print(f"bitext vs {pandoc_version}, {len(files)} files, {size / 1e6:.2f} MB, median of {args.runs} runs, {os.cpu_count()} cores")
    pandoc3 = modern_pandoc()
    with tempfile.TemporaryDirectory() as out:
        jobs = {
            "markdown": (["-t", "md", "-l", "bi,zh,en"], ["-t", "markdown"], "p.md", "bitext md (bi+zh+en)", "pandoc -t markdown"),
            "epub": (["-t", "epub", "-l", "bi"], ["-t", "epub3"], "p.epub", "bitext epub (bi)", "pandoc -t epub3"),
        }
        if pandoc3:
            jobs["pdf"] = (["-t", "pdf", "-l", "bi", "--paper", "a5"], None, None, "bitext pdf (bi, A5)", "pandoc -t typst + typst")
        for kind, (bitext_args, pandoc_args, pandoc_out, b_label, p_label) in jobs.items():
            if args.only and args.only != kind:
                continue

            def bitext_cmd(inputs, *extra):
                return [[bitext, "convert", *inputs, "-o", out, *bitext_args, "--force", "-q", *extra]]

            def pandoc_cmds(inputs):
                if kind == "pdf":
                    typ = os.path.join(out, "p.typ")
                    compile_typst = f"import typst; typst.compile({typ!r}, output={os.path.join(out, 'p.pdf')!r}, font_paths=['/usr/share/fonts'])"
                    cmds = []
                    for f in inputs:
                        cmds.append([pandoc3, "-f", "markdown", "-t", "typst", "-s", "-V", "papersize=a5", "-V", "lang=zh",
                                     "-V", "mainfont=Noto Serif CJK SC", "-o", typ, f])
                        cmds.append([sys.executable, "-c", compile_typst])
                    return cmds
                return [["pandoc", "-f", "markdown", *pandoc_args, "-o", os.path.join(out, pandoc_out), f] for f in inputs]

            print()
            print(f"| input | {b_label} | {p_label} | pandoc / bitext |")
            print("|---|---|---|---|")
            for label, inputs in [("one file (" + os.path.basename(files[0]) + ")", files[:1]), (f"corpus ({len(files)} files)", files)]:
                b = timed(bitext_cmd(inputs), args.runs)
                p = timed(pandoc_cmds(inputs), max(1, args.runs // 2))
                print(f"| {label} | {b * 1000:.1f} ms | {p * 1000:.0f} ms | {p / b:.1f}x |")
                if kind == "pdf" and len(inputs) > 1:
                    one = timed(bitext_cmd(inputs, "-j", "1"), args.runs)
                    print(f"| {label}, bitext on one core (-j 1) | {one * 1000:.1f} ms | {p * 1000:.0f} ms | {p / one:.1f}x |")
            mem_b = peak_rss_kib(bitext_cmd(files))
            mem_p = peak_rss_kib(pandoc_cmds(files))
            print(f"\npeak memory over the corpus: bitext {mem_b / 1024:.1f} MiB, pandoc {mem_p / 1024:.1f} MiB (largest single process)")
            if kind == "epub":
                book = [[bitext, "book", args.corpus, "-o", os.path.join(out, "anthology.epub"), "-q"]]
                t = timed(book, args.runs)
                m = peak_rss_kib(book)
                print(f"anthology of the corpus (bitext book): {t * 1000:.1f} ms, peak memory {m / 1024:.1f} MiB")
        if args.only in (None, "subtitles"):
            subs = [bitext, "convert", args.corpus, "-o", out, "-t", "srt,vtt,ass", "-l", "bi,zh,en", "--force", "-q"]
            many, one = timed([subs], args.runs), timed([subs + ["-j", "1"]], args.runs)
            written = sum(1 for f in os.listdir(out) if f.endswith((".srt", ".vtt", ".ass")))
            print(f"\ncorpus to subtitles, 3 languages x SRT, VTT and ASS ({written} files): {many * 1000:.0f} ms, {one * 1000:.0f} ms at -j 1")


if __name__ == "__main__":
    main()
