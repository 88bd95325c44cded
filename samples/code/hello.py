"""Counts down slowly, so the output panel has something to show."""

import sys
import time

print("Hello from a slide!")
for n in (3, 2, 1):
    print(f"{n}...", flush=True)
    time.sleep(0.4)
print("this line goes to stderr", file=sys.stderr)
print("Done. Press e to change this file and x to run it again.")
