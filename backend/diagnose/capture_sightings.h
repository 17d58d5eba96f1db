#pragma once
// From decoded capture packets to echo sightings: keeps the ICMP and ICMPv6 echoes
// (plain or encapsulated), names their interface from the node's own interface list (LINUX_SLL2
// records only the index) and writes each as one tcpdump-like evidence line.

#include "echo_sighting.h"
#include "parse/captured_packet.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace podpath::diagnose {

using InterfaceNames = std::map<std::uint32_t, std::string>;  // ifindex -> name

// `fallbackInterface` names packets whose link type records no index (a per-interface
// capture on old tcpdump); direction is then taken from the node's own addresses.
std::vector<EchoSighting> echoSightings(NodeRole node, const std::vector<parse::CapturedPacket> &packets,
                                        const InterfaceNames &names, const std::string &fallbackInterface = {},
                                        const std::set<IpAddress> &localAddresses = {});

// The WireGuard messages among `packets` (any UDP port: recognised by their shape), with
// the same naming of interface and direction as echoSightings.
std::vector<SealedSighting> sealedSightings(NodeRole node, const std::vector<parse::CapturedPacket> &packets,
                                            const InterfaceNames &names, const std::string &fallbackInterface = {},
                                            const std::set<IpAddress> &localAddresses = {});

std::string evidenceLine(const parse::CapturedPacket &p, const std::string &interface);

} // namespace podpath::diagnose
