#!/usr/bin/env bash
# Wall time of `check kill_switch --dry-run`, median of N cold runs (goal <= 0.3 s).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/config" "$work/data"
PY=${PY:-$PWD/.venv/bin/python}
times=()
for _ in $(seq "$runs"); do
  start=$(date +%s.%N)
  (cd "$work" && "$PY" "$OLDPWD/main.py" check kill_switch --dry-run >/dev/null) || true
  end=$(date +%s.%N)
  times+=("$(echo "$end - $start" | bc)")
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "runs=%d median=%.3fs min=%.3fs max=%.3fs\n", NR, a[int((NR+1)/2)], a[1], a[NR]}'
