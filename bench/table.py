"""Reads `before|after <bench --json line>` lines and prints, per profile, each figure's min and
median over all runs (min of the runs' mins, median of the runs' medians), before and after, and
how many times faster (median before / median after)."""
import json
import statistics
import sys

FIGURES = ["getpid_ns", "getpid_trace_off_ns", "yield_pair_ns", "fork_ns", "fork_ns_at_tasks", "heap_bytes_per_task",
           "history_bytes_per_step", "reverse_ns_per_step", "steps_per_getpid"]


def series(obj, prefix=""):
    for name in FIGURES:
        value = obj.get(name)
        if isinstance(value, dict):
            for count, v in value.items():
                yield f"{name}[{count}]", v
        elif value is not None:
            yield name, value


def main():
    before_rev, after_rev, rounds = sys.argv[1], sys.argv[2], sys.argv[3]
    runs = {}  # profile -> side -> figure -> {"min": [...], "median": [...]}
    for line in sys.stdin:
        side, _, text = line.partition(" ")
        o = json.loads(text)
        profile = f"{o['arch']} {o['kernel']}"
        figs = runs.setdefault(profile, {}).setdefault(side, {})
        mins = dict(series(o.get("min", {})))
        for name, value in series(o):
            f = figs.setdefault(name, {"min": [], "median": []})
            f["median"].append(value)
            f["min"].append(mins.get(name, value))
    print(f"before: {before_rev}   after: {after_rev}   {rounds} interleaved round(s), "
          "each a fresh JVM warmed up first; min = fastest run, median = median of the runs' medians")
    for profile, sides in runs.items():
        print(f"\n== {profile}")
        print(f"{'figure':32} {'before min':>12} {'before med':>12} {'after min':>12} "
              f"{'after med':>12} {'before/after':>12}")
        names = list(dict.fromkeys(list(sides.get("before", {})) + list(sides.get("after", {}))))
        for name in names:
            cells = []
            meds = []
            for side in ("before", "after"):
                f = sides.get(side, {}).get(name)
                if f is None:
                    cells += ["-", "-"]
                    meds.append(None)
                    continue
                med = statistics.median(f["median"])
                cells += [fmt(min(f["min"])), fmt(med)]
                meds.append(med)
            ratio = f"{meds[0] / meds[1]:.2f}x" if None not in meds and meds[1] else "-"
            print(f"{name:32} " + " ".join(f"{c:>12}" for c in cells) + f" {ratio:>12}")


def fmt(v):
    return f"{v:,.1f}" if isinstance(v, float) and v < 100 else f"{v:,.0f}"


if __name__ == "__main__":
    main()
