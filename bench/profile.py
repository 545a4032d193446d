"""Profiles one benchmark operation on a generated dataset and prints its top lines by
cumulative time (cProfile; pyinstrument's call tree with --pyinstrument).

    python bench/profile.py OPERATION --size SIZE [--top 15] [--pyinstrument]
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/ itself must leave the path: this file would shadow the standard library's
# profile module, which cProfile imports. The repository root goes first instead.
sys.path.pop(0)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse
import contextlib
import cProfile
import io
import pstats
import tempfile
from collections.abc import Sequence

from bench.generate import DEFAULT_DATA_DIR, DEFAULT_SEED, SIZES, ensure_dataset
from bench.operations import BY_NAME, Workbench, profile_run


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("operation", choices=list(BY_NAME))
    parser.add_argument("--size", choices=list(SIZES), default="small")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--pyinstrument", action="store_true",
                        help="print pyinstrument's call tree instead (if installed)")  # fmt: skip
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    dataset, _ = ensure_dataset(SIZES[args.size], args.data_dir, args.seed)
    args.data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.data_dir, prefix="profile-") as scratch:
        bench = Workbench(dataset, Path(scratch))
        try:
            if not BY_NAME[args.operation].cold:
                bench.services.scheduler.queue()  # the card cache, as run.py has it
            run = profile_run(bench, args.operation)
            title = f"{BY_NAME[args.operation].label} ({args.operation}), size {args.size}: "
            title += f"{dataset.drills:,} drills, {dataset.ratings:,} ratings"
            print(title)
            output = io.StringIO()  # what the operation prints (drillcoach today)
            if args.pyinstrument:
                from pyinstrument import Profiler

                profiler = Profiler()
                with contextlib.redirect_stdout(output):
                    profiler.start()
                    run()
                    profiler.stop()
                print(profiler.output_text(unicode=True, color=False))
            else:
                profile = cProfile.Profile()
                with contextlib.redirect_stdout(output):
                    profile.runcall(run)
                stats = pstats.Stats(profile, stream=sys.stdout).strip_dirs()
                stats.sort_stats(pstats.SortKey.CUMULATIVE).print_stats(args.top)
        finally:
            bench.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
