#!/usr/bin/env bash
# A shell script for the tour: count to five, one step at a time.
set -eu
echo "Counting in $(basename "${SHELL:-bash}") on $(uname -s)"
for i in 1 2 3 4 5; do
    printf 'step %d of 5\n' "$i"
    sleep 0.3
done
echo "finished"
