"""python -m tests.busy [--burners 2] -- COMMAND...

Run COMMAND while CPU-bound processes run beside it, as on a shared CI machine or a laptop
building something else (#18). `make test` uses it to run the timing-sensitive tests with two
burners: those tests must assert outcomes (every request answered, every entry kept), never
that something happened within a wall-clock window. Exits with COMMAND's status.
"""

from __future__ import annotations

import argparse
import multiprocessing
import subprocess
import sys


def burn() -> None:
    x = 0
    while True:
        x = (x * 1103515245 + 12345) % 2**31


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.busy", description=__doc__.split("\n\n")[1])
    parser.add_argument("--burners", type=int, default=2, help="CPU-bound processes to run beside the command")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command, after --")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")
    burners = [multiprocessing.Process(target=burn, daemon=True) for _ in range(args.burners)]
    for process in burners:
        process.start()
    print(f"tests.busy: {args.burners} CPU burner(s) running beside: {' '.join(command)}", file=sys.stderr)
    try:
        return subprocess.call(command)
    finally:
        for process in burners:
            process.terminate()
        for process in burners:
            process.join()


if __name__ == "__main__":
    sys.exit(main())
