#!/usr/bin/env python3
"""Archive builds at scale: full, no-op, one edit, shards, memory, and 10,000 transcripts.

    python3 benches/archive_build.py [--corpus DIR] [--runs N] [--copies 32] [--big 323]

Makes an archive of the corpus copied into COPIES folders (32 copies of 31 transcripts: 992), then
times, each the median wall time of N runs, converting it to EPUB, markdown and SRT in all three
languages:
  - the full build (an empty output folder), at the default thread count and at `-j 1`;
  - a run with nothing changed, and its share of the full build;
  - a run after one transcript was edited (and which files it rewrote);
  - four `--shard k/4` processes at once, then `bitext catalog`, checked byte for byte against one run;
  - the peak resident memory of the full build;
  - with --big B > 0, an archive of B copies (about 10,000 transcripts): full build and no-op, to see
    that time grows linearly with size.
The output folders live in a temporary folder that is removed afterwards.
"""

import argparse
import filecmp
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "bitext")
FORMATS = ["-t", "epub,md,srt"]


def run(args, check=True):
    result = subprocess.run([BIN, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if check and result.returncode not in (0,):
        sys.exit(f"bitext {' '.join(args)} exited {result.returncode}:\n{result.stderr[-2000:]}")
    return result.stderr


def timed(make, runs, before=None):
    """Median and minimum wall seconds of `make()`, calling `before()` untimed ahead of each run."""
    times = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        make()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def peak_rss_mib(args):
    code = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, BIN, *args], capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024


def make_archive(corpus, folder, copies):
    files = sorted(f for f in os.listdir(corpus) if f.endswith(".md"))
    for k in range(copies):
        dest = os.path.join(folder, f"part{k:03d}")
        os.makedirs(dest)
        for f in files:
            shutil.copyfile(os.path.join(corpus, f), os.path.join(dest, f))
    return copies * len(files)


def same_trees(a, b):
    cmp = filecmp.dircmp(a, b)
    stack = [cmp]
    while stack:
        c = stack.pop()
        if c.left_only or c.right_only or c.diff_files or c.funny_files:
            return False
        # dircmp compares by size and time; compare bytes instead.
        _, mismatch, errors = filecmp.cmpfiles(c.left, c.right, c.common_files, shallow=False)
        if mismatch or errors:
            return False
        stack.extend(c.subdirs.values())
    return True


def files_changed_since(folder, since):
    changed = []
    for dirpath, _, names in os.walk(folder):
        for n in names:
            p = os.path.join(dirpath, n)
            if os.stat(p).st_mtime_ns > since:
                changed.append(os.path.relpath(p, folder))
    return sorted(changed)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.environ.get("BITEXT_CORPUS", os.path.join(ROOT, "..", "shared", "corpus")))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--copies", type=int, default=32)
    ap.add_argument("--big", type=int, default=0, help="copies for the 10,000-transcript archive (323); 0 skips it")
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    tmp = tempfile.mkdtemp(prefix="bitext-archive-bench-")
    try:
        archive = os.path.join(tmp, "archive")
        n = make_archive(args.corpus, archive, args.copies)
        out = os.path.join(tmp, "out")
        full = lambda *extra: run(["convert", archive, "-o", out, *FORMATS, "-q", *extra])
        clear = lambda: shutil.rmtree(out, ignore_errors=True)
        cores = os.cpu_count()
        print(f"archive: {n} transcripts ({args.copies} copies of the corpus); {cores} cores; {args.runs} runs each, median (min)")
        t_full, m_full = timed(full, args.runs, before=clear)
        print(f"full build, default threads:       {t_full:7.3f} s ({m_full:.3f})")
        t_one, m_one = timed(lambda: full("-j", "1"), args.runs, before=clear)
        print(f"full build, -j 1:                  {t_one:7.3f} s ({m_one:.3f})")
        full()
        outputs = sum(len(f) for _, _, f in os.walk(out))
        t_noop, m_noop = timed(full, args.runs)
        print(f"nothing changed:                   {t_noop:7.3f} s ({m_noop:.3f}), {100 * t_noop / t_full:.1f}% of the full build; {outputs} files in the folder")
        t_noop1, _ = timed(lambda: full("-j", "1"), args.runs)
        print(f"nothing changed, -j 1:             {t_noop1:7.3f} s")
        victim = os.path.join(archive, "part000", sorted(os.listdir(os.path.join(archive, "part000")))[3])

        def edit():
            with open(victim, "a", encoding="utf-8") as f:
                f.write("\n补充一句。\n\n<details>\n<summary>View/Hide Original English</summary>\n<p class=\"english-text\">One more sentence.</p>\n</details>\n")
            edit.since = time.time_ns()

        t_edit, _ = timed(full, args.runs, before=edit)
        changed = files_changed_since(out, edit.since)
        print(f"one transcript edited:             {t_edit:7.3f} s, rewrote {len(changed)} files: {', '.join(changed[:4])}{' …' if len(changed) > 4 else ''}")
        sharded = os.path.join(tmp, "sharded")

        def shards():
            procs = [
                subprocess.Popen([BIN, "convert", archive, "-o", sharded, *FORMATS, "-q", "--shard", f"{k}/4", "-j", "1"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                for k in range(1, 5)
            ]
            for p in procs:
                if p.wait() != 0:
                    sys.exit("a shard failed")
            run(["catalog", sharded])

        t_shards, _ = timed(shards, args.runs, before=lambda: shutil.rmtree(sharded, ignore_errors=True))
        print(f"4 shards (-j 1 each) + catalog:    {t_shards:7.3f} s; same bytes as one run: {same_trees(out, sharded)}")
        clear()
        print(f"peak memory, full build:           {peak_rss_mib(['convert', archive, '-o', out, *FORMATS, '-q']):7.1f} MiB")
        if args.big > 0:
            big = os.path.join(tmp, "big")
            nb = make_archive(args.corpus, big, args.big)
            bout = os.path.join(tmp, "bout")
            start = time.perf_counter()
            run(["convert", big, "-o", bout, *FORMATS, "-q"])
            t_big = time.perf_counter() - start
            start = time.perf_counter()
            run(["convert", big, "-o", bout, *FORMATS, "-q"])
            t_big_noop = time.perf_counter() - start
            print(f"{nb} transcripts, full build:     {t_big:7.3f} s ({t_big / t_full:.1f}x the {n}-transcript build for {nb / n:.1f}x the size)")
            print(f"{nb} transcripts, nothing changed: {t_big_noop:6.3f} s")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
