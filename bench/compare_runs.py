#!/usr/bin/python3
"""compare_runs.py — two runs' `scalr show --json` (or `scalr run --json`) compared number by
number: every numeric member but ids, times and the rank count, in document order; strings and
booleans must be equal. Prints how many numbers were compared, how many differ by more than
the tolerance (relative to the larger magnitude, absolute below 1) and the largest difference.
Exit status 1 when any differs.

Usage: bench/compare_runs.py A.json B.json [--tol 1e-6]
"""
import json
import math
import sys

SKIP = {"run_id", "id", "group_id", "created_at", "finished_at", "timings", "fit_seconds", "eval_seconds",
        "bootstrap_seconds", "ranks", "name", "checksum", "code_version", "seconds"}


def leaves(node, path=""):
    if isinstance(node, dict):
        for k, v in node.items():
            if k not in SKIP:
                yield from leaves(v, f"{path}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from leaves(v, f"{path}/{i}")
    else:
        yield path, node


def main(argv):
    tol = 1e-6
    args = list(argv[1:])
    if "--tol" in args:
        i = args.index("--tol")
        tol = float(args[i + 1])
        del args[i:i + 2]
    if len(args) != 2:
        sys.stderr.write(__doc__)
        return 2
    a, b = (dict(leaves(json.load(open(p)))) for p in args)
    numbers = differ = 0
    worst, worst_path = 0.0, None
    other = [p for p in set(a) ^ set(b)]
    for p, x in a.items():
        if p not in b:
            continue
        y = b[p]
        if isinstance(x, bool) or not isinstance(x, (int, float)) or isinstance(y, bool) or not isinstance(y, (int, float)):
            if x != y:
                other.append(p)
            continue
        numbers += 1
        if x is None or y is None or (isinstance(x, float) and math.isnan(x)) != (isinstance(y, float) and math.isnan(y)):
            differ += x != y
            continue
        d = abs(x - y) / max(1.0, abs(x), abs(y))
        if d > worst:
            worst, worst_path = d, p
        differ += d > tol
    print(f"{numbers:,} numbers, {differ} differ by more than {tol:g} (largest {worst:.2g}"
          + (f" at {worst_path})" if worst_path else ")")
          + (f"; {len(other)} other members differ or are missing: {', '.join(sorted(other)[:5])}" if other else ""))
    return 1 if differ or other else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
