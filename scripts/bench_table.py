"""Prints a benchmark JSON file (bench/results/*.json) as a Markdown table."""
import json
import sys


def fmt(v):
    if isinstance(v, float):
        return f"{v:.3g}"
    return str(v)


def main(path):
    doc = json.load(open(path))
    rows = doc.get("models") or doc.get("runs") or doc.get("rows") or doc.get("cases") or []
    head = {k: v for k, v in doc.items() if not isinstance(v, (list, dict))}
    print(" · ".join(f"{k}: {fmt(v)}" for k, v in head.items()))
    if not rows:
        return
    cols = [c for c in rows[0].keys() if not isinstance(rows[0][c], (dict, list))]
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in rows:
        print("| " + " | ".join(fmt(r.get(c, "")) for c in cols) + " |")


if __name__ == "__main__":
    main(sys.argv[1])
