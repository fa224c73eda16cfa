#!/usr/bin/env python3
"""NFE per training iteration of odeflow runs, from their metrics.jsonl (BENCHMARKS.md, "RNODE regularizers").

    python3 benchmarks/rnode_nfe.py /tmp/rnode/base /tmp/rnode/reg01 ...

prints, per run directory (its output.dir): the mean forward/backward NFE per iteration (summed over partitions)
over each third of the run and over all of it, the final T, the last 50 iterations' mean l2int and JFrobint when
they were logged, and the test NLL and rejected steps from summary.json.
"""
import json
import os
import sys


def mean(rows, key, lo, hi):
    vals = [r[key] for r in rows[lo:hi]]
    return sum(vals) / len(vals)


def main(dirs):
    for d in dirs:
        with open(os.path.join(d, "metrics.jsonl")) as f:
            rows = [json.loads(line) for line in f]
        n = len(rows)
        cells = [os.path.basename(os.path.normpath(d))]
        for lo, hi in ((0, n // 3), (n // 3, 2 * n // 3), (2 * n // 3, n), (0, n)):
            cells.append("it %d-%d: %.0f/%.0f" % (lo + 1, hi, mean(rows, "nfe_forward", lo, hi),
                                                  mean(rows, "nfe_backward", lo, hi)))
        cells.append("T %.3f" % rows[-1]["T"])
        for key in ("l2int", "JFrobint"):
            if key in rows[-1]:
                cells.append("%s %.3f" % (key, mean(rows, key, max(0, n - 50), n)))
        summary = os.path.join(d, "summary.json")
        if os.path.exists(summary):
            with open(summary) as f:
                s = json.load(f)
            cells.append("test NLL %.4f" % s["result"]["test_nll_nats"])
            cells.append("rejected %d" % s["nfe"]["rejected_steps"])
        print(" | ".join(cells))


if __name__ == "__main__":
    main(sys.argv[1:])
