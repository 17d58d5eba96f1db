#!/usr/bin/env bash
# Full diagnosis wall time on the lab: `podpath diagnose` (connect included) against the
# guide done step by step with OpenSSH (guide_by_hand.sh), in the same run, 5 rounds each,
# medians. Needs root (the lab) and a built tree: build/app/podpath.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${PODPATH_BIN:-$top/build/app/podpath}
[ "$(id -u)" -eq 0 ] || { echo "bench_diagnose: needs root for the lab" >&2; exit 2; }
lab=$top/tests/lab/lab
$lab up --mode "${1:-ipip}" >/dev/null
$lab fault clear >/dev/null
eval "$($lab env --shell)"
C=$NODE1_HOST S=$NODE2_HOST
ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
p=() g=()
for i in 1 2 3 4 5; do
  t=$(ms); "$bin" diagnose --client "root@$C" --server "root@$S" --identity "$LAB_KEY" --known-hosts "$LAB_KNOWN_HOSTS" --quiet || true
  p+=($(( $(ms) - t )))
  t=$(ms); bash "$top/tests/bench/guide_by_hand.sh" "$C" "$S" "$LAB_KEY" "$LAB_KNOWN_HOSTS"
  g+=($(( $(ms) - t )))
done
pm=$(printf '%s\n' "${p[@]}" | median); gm=$(printf '%s\n' "${g[@]}" | median)
echo "mode ${LAB_MODE}: podpath diagnose median ${pm} ms (runs: ${p[*]})"
echo "mode ${LAB_MODE}: guide step by step with OpenSSH median ${gm} ms (runs: ${g[*]})"
awk -v p="$pm" -v g="$gm" 'BEGIN { printf "ratio: PodPath takes %.3f of the step-by-step time (%.1fx faster; targets: < 3000 ms and < 0.1)\n", p/g, g/p }'
