#!/usr/bin/env python3
"""Starts a command and kill -9s it at a random moment; prints when (seconds after the start).

    upgrade_kill_at.py any SECONDS JOURNAL -- CMD...        random delay in [0, SECONDS)
    upgrade_kill_at.py switching SECONDS JOURNAL -- CMD...  random delay after JOURNAL says "switching"

The journal is polled every millisecond; a command that ends first is not killed.
"""
import json
import os
import random
import signal
import subprocess
import sys
import time


def state(path):
    try:
        with open(path) as f:
            return json.load(f).get("state")
    except (OSError, ValueError):
        return None


def main():
    mode, seconds, journal = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    cmd = sys.argv[sys.argv.index("--") + 1:]
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if mode == "any":
        deadline = t0 + random.uniform(0, seconds)
    else:
        deadline = None
        while p.poll() is None and state(journal) not in ("switching", "switched", "committed"):
            time.sleep(0.001)
        deadline = time.monotonic() + random.uniform(0, 0.05)
    while p.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    if p.poll() is None:
        os.kill(p.pid, signal.SIGKILL)
    p.wait()
    print(f"{time.monotonic() - t0:.3f}")


if __name__ == "__main__":
    main()
