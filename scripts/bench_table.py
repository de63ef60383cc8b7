"""Prints a benchmark JSON file (bench/results/*.json) as Markdown tables: the scalar
fields on one line, then one table per list of records (nested records flattened as
parent.child columns)."""
import json
import sys


def fmt(v):
    if isinstance(v, float):
        return f"{v:.3g}"
    return str(v)


def flatten(record, prefix=""):
    out = {}
    for k, v in record.items():
        if isinstance(v, dict):
            out.update(flatten(v, f"{prefix}{k}."))
        elif not isinstance(v, list):
            out[prefix + k] = v
    return out


def main(path):
    doc = json.load(open(path))
    head = {k: v for k, v in doc.items() if not isinstance(v, (list, dict))}
    print(" · ".join(f"{k}: {fmt(v)}" for k, v in head.items()))
    for name, rows in doc.items():
        if not (isinstance(rows, list) and rows and isinstance(rows[0], dict)):
            continue
        flat = [flatten(r) for r in rows]
        cols = []
        for r in flat:
            cols += [c for c in r if c not in cols]
        print(f"\n{name}:")
        print("| " + " | ".join(cols) + " |")
        print("|" + "---|" * len(cols))
        for r in flat:
            print("| " + " | ".join(fmt(r.get(c, "")) for c in cols) + " |")


if __name__ == "__main__":
    main(sys.argv[1])
