#!/usr/bin/env bash
# The troubleshooting guide's steps done one by one with OpenSSH, as an engineer would
# without PodPath: the reference bench_diagnose.sh measures PodPath against. Each step
# is one ssh command (a new connection each time, as when typing them).
#   guide_by_hand.sh CLIENT_IP SERVER_IP KEY KNOWN_HOSTS [USER [CLIENT_SSH SERVER_SSH]]
# A USER other than root runs every step through `sudo -n`, as such an engineer would.
# CLIENT_SSH / SERVER_SSH (HOST:PORT) reach the nodes another way than their node IPs
# (the lab's WAN relays); the steps still name the node IPs.
set -u
C=$1 S=$2 KEY=$3 KH=$4 U=${5:-root} C_SSH=${6:-$1:22} S_SSH=${7:-$2:22}
ssh_() {
  local cmd=$2 at=$C_SSH
  [ "$1" = "$C" ] || at=$S_SSH
  [ "$U" = root ] || cmd="sudo -n sh -c $(printf '%q' "$cmd")"
  ssh -q -p "${at##*:}" -i "$KEY" -o UserKnownHostsFile="$KH" -o StrictHostKeyChecking=yes -o BatchMode=yes "$U@${at%:*}" "$cmd"
}
# The inet line only: a chatty login shell prints its banner on the same stdout.
tun_ip() { ssh_ "$1" "ip -4 -o addr show dev tunl0 2>/dev/null || ip -4 -o addr show dev vxlan.calico" | awk '/ inet /{print $4}' | cut -d/ -f1; }

# Logs on both nodes.
for n in "$C" "$S"; do
  ssh_ "$n" "tail -n 200 /var/log/calico/felix/current /var/log/calico/bird/current /var/log/calico/confd/current 2>/dev/null | grep -ciE 'error|warn'" >/dev/null
done
ssh_ "$C" "ping -c 3 -i 0.2 -W 1 $S" >/dev/null                  # step 2: underlay ping
STUN=$(tun_ip "$S"); CTUN=$(tun_ip "$C")                          # step 3: tunnel IPs
ssh_ "$C" "ping -c 3 -i 0.2 -W 1 $STUN" >/dev/null               # step 4: tunnel ping
ssh_ "$C" "ip route | grep ${STUN%.*}" >/dev/null                 # step 5: the route
ssh_ "$S" "ip route | grep ${CTUN%.*}" >/dev/null
# The six capture steps: a capture on one node while the client pings.
capture() {  # node filter
  ssh_ "$1" "timeout 3 tcpdump -n -vvv -c 6 $2 >/dev/null 2>&1 & sleep 0.5; exit 0" &
  sleep 0.8
  ssh_ "$C" "ping -c 3 -i 0.2 -W 1 $STUN" >/dev/null
  wait
}
capture "$C" "-i any dst $S"
capture "$S" "-i any src $C"
capture "$S" "-i tunl0"
capture "$S" "-i any dst $C"
capture "$C" "-i any src $S"
capture "$C" "-i tunl0"
# iptables and the hosts set on both nodes.
for n in "$C" "$S"; do
  ssh_ "$n" "iptables -vL | grep DROP" >/dev/null
  ssh_ "$n" "ipset list cali40all-hosts-net 2>/dev/null || ipset list felix-calico-hosts-4" >/dev/null
done
