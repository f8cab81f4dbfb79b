#!/usr/bin/env bash
# Builds squeezec as it was at a git revision (default: the last benchmark
# before issue 11's restructuring, 6a01811) in a worktree under
# .build/baseline-REV, and prints the path of its release binary. Reused when
# already built. Used by scripts/bench.sh to show instruction counts before
# and after, measured the same way on the same machine.
#
#   scripts/bench_baseline.sh [REV]
set -euo pipefail
rev="${1:-6a01811}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/.build/baseline-$rev"
if [ ! -x "$dir/.build/release/squeezec" ]; then
  if [ ! -d "$dir" ]; then
    git -C "$root" worktree add --detach "$dir" "$rev" >&2
  fi
  (cd "$dir" && swift build -c release --product squeezec >&2)
fi
echo "$dir/.build/release/squeezec"
