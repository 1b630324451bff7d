#!/usr/bin/env python3
"""How many of each benchmarked DeAI call fit in one DeAI block.

Reads the generated `weights.rs` of every DeAI pallet (and, for comparison,
`pallet_balances::transfer_keep_alive` from the last `scripts/benchmark.sh` run,
`$CARGO_TARGET_DIR/benchmarks/pallet_balances.rs`), evaluates each weight
function at the largest value of each of its components, adds the base weight of
an extrinsic and the runtime's database weights, and prints how many such calls
fit in the share of a block that normal transactions may fill, by ref time and
by proof size, and the ratio of each call's cost to a transfer's.

    scripts/block-capacity.py [--at name=value ...]

`--at r=3` evaluates every function with component `r` at 3 instead of its
maximum (e.g. a 3-replica job). The numbers mirror the runtime's constants:
2 s of ref time and a 10 MiB proof per block, 75 % of it for normal
transactions, 108.157 us per extrinsic, 25 us per database read and 100 us per
write (RocksDbWeight).
"""

import argparse
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PALLETS = ["model-registry", "data-rewards", "compute-staking", "inference", "governance"]
PS_PER_US = 1_000_000
BLOCK_REF_TIME = 2 * 10**12  # 2 s in picoseconds
BLOCK_PROOF = 10 * 1024 * 1024
NORMAL = 0.75
EXTRINSIC_BASE = 108_157 * 1_000
DB_READ = 25 * PS_PER_US
DB_WRITE = 100 * PS_PER_US

FN_RE = re.compile(r"\tfn (\w+)\(([^)]*)\) -> Weight \{\n(.*?)\n\t\}", re.S)
RANGE_RE = re.compile(r"/// `(\w+)`(?:, over (.*))?\.")
COMPONENT_RE = re.compile(r"`(\w+)` in `\[(\d+), (\d+)\]`")


def parse_ranges(text):
    """Component ranges per function, from the trait's doc comments."""
    ranges = {}
    for match in RANGE_RE.finditer(text):
        name, spec = match.group(1), match.group(2) or ""
        ranges[name] = {c: (int(lo), int(hi)) for c, lo, hi in COMPONENT_RE.findall(spec)}
    return ranges


def num(text):
    return int(text.replace("_", ""))


def evaluate(body, values):
    """(ref time ps, proof bytes, reads, writes) of one generated weight body."""
    ref = proof = reads = writes = 0
    # Constant parts: the base weight and any `.saturating_add(Weight::from_parts(a, b))`
    # that no component multiplies.
    for r, p in re.findall(r"Weight::from_parts\(([\d_]+), ([\d_]+)\)(?!\.saturating_mul)", body):
        ref += num(r)
        proof += num(p)
    for r, p, c in re.findall(
        r"\.saturating_add\(Weight::from_parts\(([\d_]+), ([\d_]+)\)\.saturating_mul\((\w+)\.into\(\)\)\)", body
    ):
        ref += num(r) * values.get(c, 0)
        proof += num(p) * values.get(c, 0)
    for kind, n in re.findall(r"DbWeight::get\(\)\.(reads|writes)\(([\d_]+)\)\)", body):
        if kind == "reads":
            reads += num(n)
        else:
            writes += num(n)
    for kind, n, c in re.findall(
        r"DbWeight::get\(\)\.(reads|writes)\(\(([\d_]+)_u64\)\.saturating_mul\((\w+)\.into\(\)\)\)\)", body
    ):
        if kind == "reads":
            reads += num(n) * values.get(c, 0)
        else:
            writes += num(n) * values.get(c, 0)
    return ref, proof, reads, writes


def functions(path, overrides):
    text = path.read_text()
    ranges = parse_ranges(text)
    impl = text.split("for SubstrateWeight<T>", 1)[-1].split("impl WeightInfo for ()", 1)[0]
    for name, _args, body in FN_RE.findall(impl):
        comps = ranges.get(name, {})
        values = {c: overrides.get(c, hi) for c, (_lo, hi) in comps.items()}
        yield name, values, evaluate(body, values)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--at", action="append", default=[], help="component=value to use instead of its maximum")
    args = parser.parse_args()
    overrides = {}
    for item in args.at:
        key, _, value = item.partition("=")
        if not value.isdigit():
            sys.exit(f"block-capacity: --at wants name=number, got '{item}'")
        overrides[key] = int(value)

    target = Path(os.environ.get("CARGO_TARGET_DIR", Path.home() / ".cache/deai/target"))
    sources = [("balances", target / "benchmarks/pallet_balances.rs")]
    sources += [(p, ROOT / "pallets" / p / "src/weights.rs") for p in PALLETS]
    rows = []
    for pallet, path in sources:
        if not path.exists():
            print(f"block-capacity: {path} is missing (run scripts/benchmark.sh)", file=sys.stderr)
            continue
        for name, values, (ref, proof, reads, writes) in functions(path, overrides):
            total_ref = ref + reads * DB_READ + writes * DB_WRITE + EXTRINSIC_BASE
            rows.append((pallet, name, values, total_ref, proof))
    transfer = next((r for r in rows if r[1] == "transfer_keep_alive"), None)
    limit_ref, limit_proof = NORMAL * BLOCK_REF_TIME, NORMAL * BLOCK_PROOF
    print(f"{'call':48} {'ref time':>10} {'proof':>9} {'per block (time)':>17} {'(proof)':>9} {'x transfer':>10}")
    for pallet, name, values, ref, proof in rows:
        label = f"{pallet}.{name}" + (f" ({', '.join(f'{k}={v}' for k, v in values.items())})" if values else "")
        by_time = int(limit_ref // ref) if ref else 0
        by_proof = int(limit_proof // proof) if proof else float("inf")
        ratio = f"{ref / transfer[3]:.1f}" if transfer else "-"
        print(f"{label:48} {ref / PS_PER_US:>8.1f}us {proof:>8}B {by_time:>17} {by_proof:>9} {ratio:>10}")


if __name__ == "__main__":
    main()
