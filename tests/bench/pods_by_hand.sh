#!/usr/bin/env bash
# The pod-to-pod question answered by hand with OpenSSH, as an engineer would without
# PodPath: find each pod's interface and namespace, read the firewall counters, ping and
# connect from inside the client pod, read the counters again and compare the pods'
# chains. The reference bench_diagnose.sh measures `podpath diagnose --client-pod
# --server-pod --port` against. One ssh command per step (a new connection each time).
#   pods_by_hand.sh CLIENT_SSH SERVER_SSH KEY KNOWN_HOSTS CLIENT_POD SERVER_POD PORT
set -u
C_SSH=$1 S_SSH=$2 KEY=$3 KH=$4 CPOD=$5 SPOD=$6 PORT=$7
ssh_() {
  ssh -q -p "${1##*:}" -i "$KEY" -o UserKnownHostsFile="$KH" -o StrictHostKeyChecking=yes -o BatchMode=yes "root@${1%:*}" "$2"
}
# Where each pod is: its /32 route names the interface, the interface its namespace.
end_of() {  # ssh pod: prints "IFACE NETNS"
  local dev ns id
  dev=$(ssh_ "$1" "ip route show $2/32" | awk '{for (i = 1; i < NF; i++) if ($i == "dev") print $(i + 1)}')
  # iproute2 names the peer's namespace when it can ("link-netns NAME"), else numbers it.
  read -r ns id < <(ssh_ "$1" "ip -d addr show dev $dev" |
    awk '{for (i = 1; i < NF; i++) { if ($i == "link-netns") n = $(i + 1); if ($i == "link-netnsid") d = $(i + 1) } }
         END { print (n == "" ? "-" : n), (d == "" ? "-" : d) }')
  [ "$ns" != - ] || ns=$(ssh_ "$1" "ip netns list" | awk -v id="$id" '$0 ~ "\\(id: " id "\\)" {print $1}')
  echo "$dev $ns"
}
read -r CDEV CNS < <(end_of "$C_SSH" "$CPOD")
read -r SDEV SNS < <(end_of "$S_SSH" "$SPOD")
ssh_ "$C_SSH" "ip netns exec $CNS ip route" >/dev/null                     # the pods' own routes
ssh_ "$S_SSH" "ip netns exec $SNS ip route" >/dev/null
ssh_ "$C_SSH" "iptables-save -c" >/tmp/pods-by-hand-c0.$$                  # counters before
ssh_ "$S_SSH" "iptables-save -c" >/tmp/pods-by-hand-s0.$$
ssh_ "$C_SSH" "ip netns exec $CNS ping -c 5 -i 0.2 -W 1 $SPOD" >/dev/null  # ICMP from the pod
ssh_ "$C_SSH" "ip netns exec $CNS timeout 2 bash -c 'exec 3<>/dev/tcp/$SPOD/$PORT'" >/dev/null 2>&1
ssh_ "$C_SSH" "iptables-save -c" >/tmp/pods-by-hand-c1.$$                  # counters after
ssh_ "$S_SSH" "iptables-save -c" >/tmp/pods-by-hand-s1.$$
# Which rules of the pods' chains counted: the lines that changed.
diff <(grep -e "cali-fw-$CDEV" -e "cali-tw-$CDEV" -e cali-pi- -e cali-po- /tmp/pods-by-hand-c0.$$) \
     <(grep -e "cali-fw-$CDEV" -e "cali-tw-$CDEV" -e cali-pi- -e cali-po- /tmp/pods-by-hand-c1.$$) >/dev/null
diff <(grep -e "cali-fw-$SDEV" -e "cali-tw-$SDEV" -e cali-pi- -e cali-po- /tmp/pods-by-hand-s0.$$) \
     <(grep -e "cali-fw-$SDEV" -e "cali-tw-$SDEV" -e cali-pi- -e cali-po- /tmp/pods-by-hand-s1.$$) >/dev/null
rm -f /tmp/pods-by-hand-[cs][01].$$
[ -n "$CNS" ] && [ -n "$SNS" ]  # both pods found, or the figure means nothing
