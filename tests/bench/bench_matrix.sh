#!/usr/bin/env bash
# The cluster matrix on the lab: `podpath matrix` over N nodes (connect included; wall time
# and peak memory, 3 rounds, medians) against what a user would otherwise run, in the same
# run: `podpath diagnose` for every ordered pair, one after the other. Needs root (the lab)
# and a built tree. Sizes: $@ (default 12 20 30; the lab holds up to 40 nodes).
# The pairwise run is what the issue's ratio is taken against (at 12 nodes); it grows with
# the square of the nodes, about 0.6 s per pair, so it runs up to PAIRWISE_MAX nodes
# (default 20) and is skipped above: 870 pairs at 30 nodes would take ~9 minutes.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${PODPATH_BIN:-$top/build/app/podpath}
[ "$(id -u)" -eq 0 ] || { echo "bench_matrix: needs root for the lab" >&2; exit 2; }
lab=$top/tests/lab/lab
key=$top/tests/lab/run/keys/id_ed25519 known=$top/tests/lab/run/known_hosts
ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(12 20 30)
pairwise_max=${PAIRWISE_MAX:-20}
for n in "${sizes[@]}"; do
  $lab up --nodes "$n" --mode vxlan >/dev/null
  $lab fault clear >/dev/null
  mapfile -t hosts < <($lab env --json | python3 -c 'import json,sys; [print("root@"+x["host"]) for x in json.load(sys.stdin)["nodes"]]')
  walls=() mems=()
  for round in 1 2 3; do
    out=$( { /usr/bin/time -f '%e %M' "$bin" matrix "${hosts[@]}" --identity "$key" --known-hosts "$known" --quiet \
              --json /tmp/bench-matrix-$$.json; } 2>&1 >/dev/null | tail -1) || true
    read -r secs kb <<<"$out"
    walls+=("$(python3 -c "print(int(float('$secs')*1000))")")
    mems+=("$kb")
  done
  summary=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; print("%d pairs: %d pass, %d fail" % (s["pairs"], s["pass"], s["fail"]))' /tmp/bench-matrix-$$.json)
  rm -f /tmp/bench-matrix-$$.json
  M=$(printf '%s\n' "${walls[@]}" | median)
  R=$(printf '%s\n' "${mems[@]}" | median)
  echo "matrix, $n nodes ($summary): podpath matrix median ${M} ms (runs: ${walls[*]}), peak memory median $((R / 1024)) MB"
  if [ "$n" -gt "$pairwise_max" ]; then
    echo "matrix, $n nodes: podpath diagnose for each of the $((n * (n - 1))) ordered pairs in turn: skipped (above PAIRWISE_MAX=$pairwise_max nodes; about 0.6 s a pair, it would take ~$((n * (n - 1) * 6 / 600)) minutes)"
    continue
  fi
  # Every ordered pair through the two-node diagnosis, one after the other.
  t=$(ms)
  pairs=0
  for c in "${hosts[@]}"; do
    for s in "${hosts[@]}"; do
      [ "$c" != "$s" ] || continue
      rc=0
      "$bin" diagnose --client "$c" --server "$s" --identity "$key" --known-hosts "$known" --quiet >/dev/null 2>&1 || rc=$?
      # 126/127: no binary to run (a relink replaces it for a moment), not a diagnosis: the
      # time would be meaningless.
      [ $rc -lt 126 ] || { echo "bench_matrix: $bin could not run (exit $rc) at pair $c > $s" >&2; exit 1; }
      pairs=$((pairs + 1))
    done
  done
  S=$(( $(ms) - t ))
  echo "matrix, $n nodes: podpath diagnose for each of the $pairs ordered pairs in turn: ${S} ms; the matrix takes $(python3 -c "print('%.4f' % ($M / $S))") of it ($(python3 -c "print('%.0f' % ($S / $M))")x)"
done
