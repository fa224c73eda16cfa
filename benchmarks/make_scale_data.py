#!/usr/bin/env python3
"""Generates the tables of the scale benchmark (BENCHMARKS.md, "Scale"): ROWS rows of COLS double columns named
x0..x{COLS-1}, written as CSV (with a header) and/or Parquet, in chunks so memory stays flat.

The data is a mixture of 8 Gaussians with random means and covariances, passed through a mild tanh warp on every
other column: correlated and non-Gaussian, like the tabular sets FFJORD trains on. A fixed seed gives the same
bytes on every machine.

    python3 benchmarks/make_scale_data.py --rows 1000000 --cols 16 --out /tmp/scale/t16
    python3 benchmarks/make_scale_data.py --rows 36488 --cols 43 --out /tmp/scale/miniboone43

writes <out>.csv and <out>.parquet (pass --format csv or parquet for one of them). Needs numpy (and pyarrow for
Parquet).
"""
import argparse
import numpy as np

CHUNK = 100_000
COMPONENTS = 8


def chunks(rows, cols, seed):
    rng = np.random.default_rng(seed)
    means = rng.normal(0.0, 3.0, size=(COMPONENTS, cols))
    factors = rng.normal(0.0, 1.0 / np.sqrt(cols), size=(COMPONENTS, cols, cols)) + np.eye(cols)
    done = 0
    while done < rows:
        n = min(CHUNK, rows - done)
        k = rng.integers(0, COMPONENTS, size=n)
        z = rng.standard_normal(size=(n, cols))
        x = np.einsum("nij,nj->ni", factors[k], z) + means[k]
        x[:, ::2] = 4.0 * np.tanh(x[:, ::2] / 4.0)
        done += n
        yield x


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rows", type=int, required=True)
    p.add_argument("--cols", type=int, required=True)
    p.add_argument("--out", required=True, help="path without extension")
    p.add_argument("--format", choices=["csv", "parquet", "both"], default="both")
    p.add_argument("--seed", type=int, default=7)
    a = p.parse_args()
    names = [f"x{j}" for j in range(a.cols)]
    csv = open(a.out + ".csv", "w") if a.format in ("csv", "both") else None
    pq = None
    if a.format in ("parquet", "both"):
        import pyarrow as pa
        import pyarrow.parquet as papq
        schema = pa.schema([(c, pa.float64()) for c in names])
        pq = papq.ParquetWriter(a.out + ".parquet", schema)
    if csv:
        csv.write(",".join(names) + "\n")
    for x in chunks(a.rows, a.cols, a.seed):
        if csv:
            np.savetxt(csv, x, delimiter=",", fmt="%.8g")
        if pq:
            pq.write_table(pa.Table.from_arrays([pa.array(x[:, j]) for j in range(a.cols)], names=names))
    if csv:
        csv.close()
    if pq:
        pq.close()


if __name__ == "__main__":
    main()
