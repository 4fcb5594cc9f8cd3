#!/usr/bin/env python3
"""Rewrites the generated sections of datasets/README.md from manifest.csv, labels.csv and tool-versions.txt.

Each section sits between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`; the prose around them is hand-written.
Usage: card.py DATASETS_DIR
"""
import csv
import os
import re
import sys


def table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def human(n):
    return f"{n / 1024:.1f} KiB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.2f} MiB"


def ndpi_summary(field):
    """'HTTP:140;Unknown:3' -> '143 (HTTP 140, Unknown 3)', the three largest protocols only."""
    pairs = [(p.rsplit(":", 1)[0], int(p.rsplit(":", 1)[1])) for p in field.split(";") if ":" in p]
    pairs.sort(key=lambda kv: -kv[1])
    top = ", ".join(f"{k} {v}" for k, v in pairs[:3]) + (", ..." if len(pairs) > 3 else "")
    return f"{sum(v for _, v in pairs)} ({top})"


def main():
    d = sys.argv[1]
    manifest = list(csv.DictReader(open(os.path.join(d, "manifest.csv"))))
    labels = list(csv.DictReader(open(os.path.join(d, "labels.csv"))))
    versions = open(os.path.join(d, "tool-versions.txt")).read().strip()

    files = table(
        ["file", "label", "packets", "size", "first packet (UTC)", "nDPI flows (top protocols)", "sha256"],
        [[f"`{m['file']}`", m["label"], m["packets"], human(int(m["file_bytes"])), m["first_packet"],
          ndpi_summary(m["ndpi_flows_by_protocol"]), f"`{m['sha256']}`"] for m in manifest])
    total = sum(int(m["file_bytes"]) for m in manifest)
    per_label = {}
    for m in manifest:
        k = (m["session"], m["label"])
        per_label[k] = per_label.get(k, 0) + int(m["packets"])
    files += f"\n\nTotal: {len(manifest)} captures, {sum(int(m['packets']) for m in manifest)} packets, {human(total)}.\n\n"
    files += table(["session", "label", "packets"], [[s, l, n] for (s, l), n in sorted(per_label.items())])

    rules = table(["start", "end", "src_cidr", "dst_cidr", "dst_port", "proto", "label", "capture"],
                  [[r["start"], r["end"], r["src_cidr"], r["dst_cidr"], r["dst_port"], r["proto"], r["label"], f"`{r['capture']}`"]
                   for r in labels])

    sections = {"files": files, "labels": rules, "versions": "```\n" + versions + "\n```"}
    path = os.path.join(d, "README.md")
    text = open(path).read()
    for name, body in sections.items():
        pat = re.compile(rf"(<!-- generated:{name} -->\n).*?(<!-- /generated:{name} -->)", re.S)
        if not pat.search(text):
            sys.exit(f"card.py: README.md has no generated:{name} section")
        text = pat.sub(lambda m: m.group(1) + body + "\n" + m.group(2), text)
    open(path, "w").write(text)


if __name__ == "__main__":
    main()
