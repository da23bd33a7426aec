#!/usr/bin/env bash
# Before/after, side by side in one run: builds the jar of git revision REV (in a temporary worktree)
# and of the current tree, then runs `kstack bench --json` on each in turn, A B A B ..., and prints
# one table per profile with the min and median of every figure over all runs.
#
#   bench/compare.sh [-r ROUNDS] REV [bench options...]     e.g. bench/compare.sh -r 3 main --arch x86_64
#
# Both sides are measured by the current tree's harness (kstack.bench and cli/Bench, laid over REV's
# jar on the class path), so only the engine differs; REV must offer the Machine calls the harness
# makes. Each bench run is a fresh JVM that warms up before it measures.
set -euo pipefail
rounds=3
if [ "${1:-}" = "-r" ]; then
  rounds="$2"
  shift 2
fi
if [ $# -lt 1 ] || ! [[ "$rounds" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: bench/compare.sh [-r ROUNDS] REV [bench options...]" >&2
  exit 2
fi
rev="$1"
shift
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if ! sha=$(git -C "$here" rev-parse --verify --quiet "$rev^{commit}"); then
  echo "compare: $rev is not a git revision of $here" >&2
  exit 2
fi
tmp="$(mktemp -d)"
cleanup() {
  git -C "$here" worktree remove --force "$tmp/before" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

build() { # dir -> target/kstack.jar built quietly; the log is shown when it fails
  local log
  if ! log=$(cd "$1" && mvn -q -B -DskipTests package 2>&1); then
    printf '%s\n' "$log" >&2
    echo "compare: the build in $1 failed" >&2
    exit 2
  fi
}

echo "compare: building $rev (${sha:0:12}) and the current tree ..." >&2
git -C "$here" worktree add --detach --quiet "$tmp/before" "$sha"
build "$tmp/before"
build "$here"
cp "$tmp/before/target/kstack.jar" "$tmp/before.jar"
cp "$here/target/kstack.jar" "$tmp/after.jar"
# the harness: the current tree's kstack.bench and cli/Bench classes, first on both class paths
mkdir -p "$tmp/harness"
(cd "$tmp/harness" && unzip -q -o "$tmp/after.jar" 'kstack/bench/*' 'kstack/cli/Bench*')

for ((i = 1; i <= rounds; i++)); do
  for side in before after; do
    echo "compare: round $i/$rounds, $side ..." >&2
    if ! java -XX:+UseSerialGC -cp "$tmp/harness:$tmp/$side.jar" kstack.cli.Main bench --json "$@" \
        | sed "s/^/$side /" >>"$tmp/runs"; then
      echo "compare: bench failed on the $side side" >&2
      exit 2
    fi
  done
done
python3 "$here/bench/table.py" "$rev (${sha:0:12})" "$(git -C "$here" describe --always --dirty)" \
  "$rounds" <"$tmp/runs"
