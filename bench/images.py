#!/usr/bin/env python3
"""Images per second (issue #19, point 5): 20 phone-size photos, first build and rebuild.

Usage: bench/images.py [--photos 20] [--runs 3] [--monarch PATH]

Makes 20 photo-like JPEGs of 4032 x 3024 (a 12-megapixel phone's size, 5-6 MB each, with a
phone's EXIF: make, model, orientation; no GPS, which would only add warnings) with the vips
command, puts each in a page of a one-language site, and builds it with the release binary
(`swift build -c release --product monarch`):

- first build: a fresh output folder and no image cache, every copy made (the image itself,
  360/720/1080 px in WebP and JPEG: 7 per photo);
- rebuild: one page's text edited, the image cache kept: no copy is made again.

It prints the median wall and CPU seconds of each, images per second (photos / wall
seconds), and the bytes of the sources against the bytes published.
"""
import argparse, os, shutil, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def run(cmd, **kw):
    result = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{result.stderr}")
    return result


def timed(cmd, env):
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{err}")
    return wall, usage.ru_utime + usage.ru_stime


def photo(path, seed):
    """A photo-like JPEG: smooth noise at three scales in three bands, grain, quality 92."""
    work = tempfile.mkdtemp(dir=os.path.dirname(path))
    v = lambda name: os.path.join(work, name + ".v")
    w, h = "4032", "3024"
    for name, cell in (("a", 256 + seed), ("b", 64 + seed), ("c", 8)):
        run(["vips", "perlin", v(name), w, h, "--cell-size", str(cell)])
    run(["vips", "bandjoin", f"{v('a')} {v('b')} {v('c')}", v("abc")])
    run(["vips", "linear", v("abc"), v("lit"), "120 90 60", f"{100 + seed} 128 {150 - seed}"])
    run(["vips", "gaussnoise", v("grain"), w, h, "--sigma", "12", "--mean", "0"])
    run(["vips", "add", v("lit"), v("grain"), v("sum")])
    run(["vips", "cast", v("sum"), path + "[Q=92]", "uchar"])
    run(["exiftool", "-q", "-overwrite_original", "-Make=Google", "-Model=Pixel 7", "-Orientation#=1", path])
    shutil.rmtree(work)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--monarch", default=os.path.join(REPO, ".build/release/monarch"))
    args = parser.parse_args()
    if not os.access(args.monarch, os.X_OK):
        sys.exit(f"no {args.monarch}: run `swift build -c release --product monarch` first")

    root = tempfile.mkdtemp(prefix="monarch-images-bench-")
    try:
        site = os.path.join(root, "site")
        content = os.path.join(site, "content/en")
        os.makedirs(content)
        with open(os.path.join(site, "site.yaml"), "w") as f:
            f.write("title: Bench\nlanguages:\n  - {key: en, tag: en, name: English}\nweight_budget_kb: 200\n")
        with open(os.path.join(content, "index.md"), "w") as f:
            f.write("---\ntitle: Home\n---\n" + "".join(f"- [Photo {i}](p{i}.md)\n" for i in range(args.photos)))
        print(f"making {args.photos} photos of 4032 x 3024 ...", flush=True)
        for i in range(args.photos):
            photo(os.path.join(content, f"p{i}.jpg"), i)
            with open(os.path.join(content, f"p{i}.md"), "w") as f:
                f.write(f"---\ntitle: Photo {i}\n---\nWhat the street looks like.\n\n![A street, photo {i}](p{i}.jpg)\n")
        source_bytes = sum(os.path.getsize(os.path.join(content, f"p{i}.jpg")) for i in range(args.photos))

        env = dict(os.environ, MONARCH_HOME=REPO)
        first, rebuild = [], []
        for run_index in range(args.runs):
            output = os.path.join(root, f"out{run_index}")
            cmd = [args.monarch, "build", "--site", site, "--output", output, "--quiet"]
            first.append(timed(cmd, env))
            page = os.path.join(content, "p0.md")
            with open(page, "a") as f:
                f.write(f"\nEdited {run_index}.\n")
            rebuild.append(timed(cmd, env))
        published = [os.path.join(dp, n) for dp, _, names in os.walk(os.path.join(root, "out0"))
                     for n in names if n.endswith((".jpg", ".webp"))]
        published_bytes = sum(os.path.getsize(p) for p in published)
        small = sorted(os.path.getsize(p) for p in published if p.endswith("-360.webp"))
        big = sorted(os.path.getsize(p) for p in published if p.endswith("-1080.webp"))

        def report(name, runs):
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            print(f"{name:>12}: {wall:6.2f} s wall, {cpu:6.2f} s CPU, {args.photos / wall:6.2f} images/s (median of {len(runs)})")

        print(f"{args.photos} photos, {source_bytes / 1e6:.1f} MB of JPEG; {os.cpu_count()} cores")
        report("first build", first)
        report("rebuild", rebuild)
        print(f"published: {len(published)} files, {published_bytes / 1e6:.1f} MB; "
              f"360 px WebP median {statistics.median(small) / 1000:.1f} KB, 1080 px WebP median {statistics.median(big) / 1000:.1f} KB")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
