#pragma once
// `ip neigh` and `bridge fdb show` (text or -j): the two tables Calico's VXLAN mode
// fills per peer, a permanent neighbour for the peer's VTEP address and an FDB entry
// sending the VTEP's MAC to the peer's node IP ("dst").

#include "core/ipv4.h"
#include "core/ipv6.h"
#include "core/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace podpath::parse {

// "198.18.40.0 dev vxlan.calico lladdr 66:0b:0b:0b:0b:02 PERMANENT"
struct Neighbour {
    std::string address;                   // as printed: IPv4 or IPv6
    std::optional<Ipv4> ipv4;              // set when address is IPv4
    std::optional<Ipv6> ipv6;              // set when address is IPv6 (dual-stack: vxlan-v6.calico's VTEPs)
    std::string device;                    // empty under `ip neigh show dev X`
    std::string lladdr;                    // usually a MAC; empty when unresolved
    std::vector<std::string> states;       // "PERMANENT", "REACHABLE", "STALE", "FAILED",
                                           // "INCOMPLETE", "NOARP"...; in output order
    bool router = false;
    bool proxy = false;                    // `ip neigh show proxy`
    std::vector<std::string> flags;        // "extern_learn", "offload", "managed"

    bool hasState(std::string_view state) const;
    bool operator==(const Neighbour &) const = default;
};

// "66:0b:0b:0b:0b:02 dev vxlan.calico dst 198.51.100.2 self permanent"
struct FdbEntry {
    std::string mac;                       // lower case as printed
    std::string device;                    // empty under `bridge fdb show dev X`
    std::string dst;                       // VXLAN remote as printed; empty if none
    std::optional<Ipv4> dstIpv4;           // set when dst is IPv4
    std::optional<Ipv6> dstIpv6;           // set when dst is IPv6 (VXLAN over an IPv6 underlay)
    std::optional<std::uint16_t> vlan;
    std::optional<std::uint32_t> vni;
    std::optional<std::uint32_t> srcVni;
    std::optional<std::uint16_t> port;
    std::string via;
    std::string master;                    // "master br0"
    std::vector<std::string> flags;        // "self", "router", "extern_learn", "offload",
                                           // "master" (the flag), "sticky"
    std::string state;                     // "permanent", "static", "stale", "0x..." or
                                           // empty for a learned (dynamic) entry

    bool hasFlag(std::string_view flag) const;
    bool isPermanent() const { return state == "permanent"; }
    bool operator==(const FdbEntry &) const = default;
};

// What `ip neigh` printed, and what could not be read.
struct NeighbourTable {
    std::vector<Neighbour> neighbours;     // in output order
    // Lines (text) or elements (-j) that could not be read, each skipped: message,
    // trimmed excerpt, next step, line.
    std::vector<Error> unreadable;

    bool operator==(const NeighbourTable &) const = default;
};

// What `bridge fdb show` printed, and what could not be read.
struct FdbTable {
    std::vector<FdbEntry> entries;         // in output order
    std::vector<Error> unreadable;         // as in NeighbourTable

    bool operator==(const FdbTable &) const = default;
};

// Text or JSON, told apart by the first non-space character. Empty output is an
// empty list. -s statistics (used, probes, ref) are skipped. IPv6 neighbours are kept
// with ipv4 unset.
//
// Total per line: a line that is not an entry (an element that is not an entry object,
// in JSON) is kept in `unreadable` and skipped, and every other line is still read.
// Errors are only: output that is no table at all (nothing but unreadable lines:
// "Permission denied", "Object \"neigh\" is unknown"), JSON that does not parse or is
// not a list, and oversized output.
Result<NeighbourTable> parseIpNeigh(std::string_view output);
Result<NeighbourTable> parseIpNeighText(std::string_view output);
Result<NeighbourTable> parseIpNeighJson(std::string_view output);

Result<FdbTable> parseBridgeFdb(std::string_view output);
Result<FdbTable> parseBridgeFdbText(std::string_view output);
Result<FdbTable> parseBridgeFdbJson(std::string_view output);

} // namespace podpath::parse
