#!/usr/bin/env python3
"""Generates a benchmark corpus of digests in text, Markdown and HTML from the seed documents.

Items (headline, body, sources) are taken from the seeds using citevault's own
extraction of headline lines, then shuffled, renumbered and re-rendered in each
format, with URLs varied so no two documents are identical.

usage: gen_corpus.py SEEDS_DIR CITEVAULT_BIN OUT_DIR [--mb 100] [--doc-kb 512] [--big-mb 8]
"""
import argparse, json, os, random, re, subprocess, html

def seed_items(seeds, binary):
    out = subprocess.run([binary, "extract", "--format", "json", seeds], capture_output=True, check=True)
    items = []
    for doc in json.loads(out.stdout)["documents"]:
        lines = open(doc["source"], encoding="utf-8").read().split("\n")
        heads = [i["line"] for i in doc["items"]]
        for n, start in enumerate(heads):
            end = heads[n + 1] - 1 if n + 1 < len(heads) else len(lines)
            block = [l.rstrip() for l in lines[start - 1:end]]
            items.append(block)
    return items

URL = re.compile(r"https?://\S+")

def vary(line, k):
    return URL.sub(lambda m: m.group(0) + ("&" if "?" in m.group(0) else "?") + f"v={k}", line)

def to_text(item, k):
    return "\n".join(vary(l, k) for l in item) + "\n\n"

def to_markdown(item, k):
    out = ["## " + item[0], ""]
    for l in item[1:]:
        l = vary(l, k)
        s = l.strip()
        if s.startswith("•"):
            out.append("- " + s.lstrip("• "))
        elif re.match(r"^\d+\.\s", s) or URL.fullmatch(s):
            out.append(s)
        else:
            out.append(l)
    return "\n".join(out) + "\n\n"

def to_html(item, k):
    out = [f"<h2>{html.escape(item[0])}</h2>"]
    in_list = False
    for l in item[1:]:
        s = vary(l, k).strip()
        if not s:
            continue
        if URL.fullmatch(s):
            out.append(f'<p><a href="{html.escape(s)}">{html.escape(s)}</a></p>')
            continue
        m = re.match(r"^(\d+)\.\s+(.*)$", s)
        if m:
            if not in_list:
                out.append("<ol>")
                in_list = True
            out.append(f"<li>{html.escape(m.group(2))}</li>")
            continue
        if in_list:
            out.append("</ol>")
            in_list = False
        body = html.escape(s)
        body = re.sub(r"\{(\d+)\}", r"<sup>\1</sup>", body)
        out.append(f"<p>{body}</p>")
    if in_list:
        out.append("</ol>")
    return "\n".join(out) + "\n"

HTML_HEAD = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>China Watch {n}</title>
<link rel="stylesheet" href="https://cdn.example.com/style.css"><script src="https://cdn.example.com/app.js"></script>
</head><body><a class="skip-link" href="#main">Skip to content</a>
<header class="site-header"><nav><a href="https://digest.example.org/">Home</a> <a href="https://digest.example.org/about/">About</a></nav></header>
<main id="main"><article>
"""
HTML_FOOT = """<div class="sharedaddy"><a href="https://www.facebook.com/sharer/sharer.php?u=x">Share</a></div>
</article></main><footer class="site-footer"><a href="https://wordpress.org/">WordPress</a></footer></body></html>
"""

RENDER = {"text": (to_text, "txt"), "markdown": (to_markdown, "md"), "html": (to_html, "html")}

def write_doc(path, fmt, items, rng, size, n):
    render, _ = RENDER[fmt]
    written = 0
    k = n * 100000
    with open(path, "w", encoding="utf-8") as f:
        if fmt == "html":
            written += f.write(HTML_HEAD.format(n=n))
        elif fmt == "markdown":
            written += f.write(f"# China Watch {n}\n\n")
        while written < size:
            k += 1
            chunk = render(rng.choice(items), k)
            f.write(chunk)
            written += len(chunk.encode())
        if fmt == "html":
            f.write(HTML_FOOT)
    return os.path.getsize(path)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("seeds"); ap.add_argument("binary"); ap.add_argument("out")
    ap.add_argument("--mb", type=float, default=100); ap.add_argument("--doc-kb", type=int, default=512)
    ap.add_argument("--big-mb", type=float, default=8)
    a = ap.parse_args()
    items = seed_items(a.seeds, a.binary)
    for fmt, (_, ext) in RENDER.items():
        rng = random.Random(42)
        d = os.path.join(a.out, fmt)
        os.makedirs(d, exist_ok=True)
        total, n = 0, 0
        total += write_doc(os.path.join(d, f"big-0000.{ext}"), fmt, items, rng, int(a.big_mb * 2**20), n)
        while total < a.mb * 2**20:
            n += 1
            total += write_doc(os.path.join(d, f"digest-{n:04}.{ext}"), fmt, items, rng, a.doc_kb * 1024, n)
        print(f"{fmt}: {n + 1} documents, {total / 2**20:.1f} MiB")

if __name__ == "__main__":
    main()
