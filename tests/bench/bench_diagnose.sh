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
$lab wan stop >/dev/null 2>&1 || true   # SSH straight to the nodes until the WAN section
eval "$($lab env --shell)"
C=$NODE1_HOST S=$NODE2_HOST CIP=$NODE1_NODE_IP SIP=$NODE2_NODE_IP C_SSH=$NODE1_HOST:$NODE1_PORT S_SSH=$NODE2_HOST:$NODE2_PORT
ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# podpath diagnose as USER, 5 rounds: sets P (median ms) and E ("logins/execs" per node).
# Further arguments go to podpath diagnose.
podpath_runs() {
  local u=$1 t runs=() json=/tmp/bench-diagnose-$$.json
  shift
  for i in 1 2 3 4 5; do
    t=$(ms); "$bin" diagnose --client "$u@$C" --server "$u@$S" --identity "$LAB_KEY" --known-hosts "$LAB_KNOWN_HOSTS" --quiet --json "$json" "$@" || true
    runs+=($(( $(ms) - t )))
  done
  P=$(printf '%s\n' "${runs[@]}" | median)
  E=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(" ".join("%s %s logins, %s execs" % (r, d[r]["logins"], d[r]["execs"]) for r in ("client", "server")))' "$json")
  rm -f "$json"
  echo "mode ${LAB_MODE}, login $u: podpath diagnose median ${P} ms (runs: ${runs[*]}); $E"
}
guide_runs() {
  local u=$1 t runs=()
  for i in 1 2 3; do
    t=$(ms); bash "$top/tests/bench/guide_by_hand.sh" "$CIP" "$SIP" "$LAB_KEY" "$LAB_KNOWN_HOSTS" "$u" "$C_SSH" "$S_SSH"
    runs+=($(( $(ms) - t )))
  done
  G=$(printf '%s\n' "${runs[@]}" | median)
  echo "mode ${LAB_MODE}, login $u: guide step by step with OpenSSH median ${G} ms (runs: ${runs[*]})"
}
podpath_runs root; root_ms=$P
guide_runs root
awk -v p="$root_ms" -v g="$G" 'BEGIN { printf "ratio (root): PodPath takes %.3f of the step-by-step time (%.1fx faster; targets: < 3000 ms and < 0.1)\n", p/g, g/p }'
# Pod to pod: the lab's web pods and TCP 8080, against the same question by hand.
podpath_runs root --client-pod "$NODE1_POD_IP" --server-pod "$NODE2_POD_IP" --port 8080; pods_ms=$P
pod_hand=()
for i in 1 2 3; do
  t=$(ms)
  bash "$top/tests/bench/pods_by_hand.sh" "$C_SSH" "$S_SSH" "$LAB_KEY" "$LAB_KNOWN_HOSTS" "$NODE1_POD_IP" "$NODE2_POD_IP" 8080 ||
    { echo "bench_diagnose: the pods by hand did not find both pods" >&2; exit 1; }
  pod_hand+=($(( $(ms) - t )))
done
PH=$(printf '%s\n' "${pod_hand[@]}" | median)
echo "mode ${LAB_MODE}: pods by hand with OpenSSH median ${PH} ms (runs: ${pod_hand[*]})"
awk -v p="$pods_ms" -v n="$root_ms" -v g="$PH" 'BEGIN { printf "pod to pod (TCP 8080): %.2fx the nodes-only run; %.3f of the pods by hand (%.1fx faster)\n", p/n, p/g, g/p }'
# A plain sudo login, and the same with a login shell whose start-up costs 0.5 s (the
# lab's ppslow: its .bashrc sleeps and prints a banner): PodPath logs in once per node
# and keeps one command shell, so the slow start is paid about twice, not per command.
podpath_runs ppadmin; plain_ms=$P
podpath_runs ppslow; slow_ms=$P
guide_runs ppslow
awk -v s="$slow_ms" -v p="$plain_ms" -v g="$G" 'BEGIN { printf "slow login shell: %.2fx the plain sudo login (target <= 1.3x, <= 2000 ms); %.3f of the step-by-step time (target < 0.1)\n", s/p, s/g }'
# A WAN link: SSH to both nodes through the lab's relays, which hold every byte 50 ms each
# way (100 ms round trip). What counts is how many exchanges the work waits for one after
# another: the relays count them (a "turn": the client speaks after the node has).
$lab wan start --rtt 100 >/dev/null 2>&1
trap '$lab wan stop >/dev/null 2>&1 || true' EXIT
eval "$($lab env --shell)"
C=$NODE1_HOST:$NODE1_PORT S=$NODE2_HOST:$NODE2_PORT C_SSH=$C S_SSH=$S
podpath_runs root; wan_ms=$P
turns=$($lab wan stop 2>/dev/null | awk -F'turns ' '{split($2, a, ","); printf "%s%d", sep, a[1] / 5; sep=" and "}')
echo "100 ms round trip: podpath diagnose median ${wan_ms} ms (target <= 3000 ms); round trips per node per run (client and server, connect included): ${turns}"
$lab wan start --rtt 100 >/dev/null 2>&1
guide_runs root
awk -v p="$wan_ms" -v g="$G" 'BEGIN { printf "100 ms round trip: PodPath takes %.3f of the step-by-step time (%.1fx faster)\n", p/g, g/p }'
