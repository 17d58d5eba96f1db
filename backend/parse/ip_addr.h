#pragma once
// `ip addr`, `ip link` and `ip -d link` (text or -j): the interfaces of a node, with
// what the diagnosis needs about the tunnel device (up? carrier? address? MTU?) and
// what `-d` adds about VXLAN and TUN devices.

#include "core/ipv4.h"
#include "core/ipv6.h"
#include "core/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace podpath::parse {

// `ip -d link` of a VXLAN device: "vxlan id 4096 local 198.51.100.1 dev eth0 ... dstport 4789".
struct VxlanInfo {
    std::optional<std::uint32_t> vni;      // absent in "external" (collect-metadata) mode
    std::optional<Ipv4> local;             // IPv6 endpoints are not kept
    std::optional<Ipv4> remote;            // "remote" or multicast "group"
    std::string device;                    // underlying device, "dev eth0"
    std::optional<std::uint16_t> dstPort;
    bool learning = true;                  // Calico sets "nolearning"
    bool external = false;

    bool operator==(const VxlanInfo &) const = default;
};

// One `inet` line (or addr_info element with family inet).
struct InterfaceAddress {
    Ipv4Prefix address;                    // local address and prefix length, host bits kept
    std::optional<Ipv4> peer;              // "inet A peer B/32"
    std::optional<Ipv4> broadcast;
    std::string scope;                     // "global", "link", "host" or a number
    std::string label;                     // "eth0", "eth0:1"
    std::vector<std::string> flags;        // "secondary", "dynamic", ...: sorted, since -j
                                           // gives them as object keys without order

    bool operator==(const InterfaceAddress &) const = default;
};

struct Interface {
    int index = 0;
    std::string name;                      // as printed; InterfaceName::parse before reuse
    std::string linkPeer;                  // after '@': "if5" (peer in another netns),
                                           // "eth0" (same netns), "NONE"; empty if none
    std::vector<std::string> flags;        // "<BROADCAST,MULTICAST,UP,LOWER_UP>", in order
    std::optional<std::uint32_t> mtu;
    std::string operState;                 // "UP", "DOWN", "UNKNOWN"...; empty if not shown
    std::string master;                    // "master br0"
    std::string linkType;                  // "ether", "loopback", "none", "ipip", ...
    std::string linkAddress;               // the MAC for ether; "0.0.0.0" for ipip; empty
                                           // for link/none
    std::vector<std::string> altNames;
    // A veth whose peer lives in another network namespace (a pod's): the namespace's id
    // as this one numbers it (-j "link_netnsid", text "link-netnsid 3"), or its name when
    // the text form could resolve it ("link-netns cni-1f2e...").
    std::optional<int> linkNetnsId;
    std::string linkNetns;
    std::string kind;                      // -d: "vxlan", "veth", "tun", "bridge", "ipip"...
    std::string slaveKind;                 // -d: "bridge" for a bridge port ("bridge_slave")
    std::optional<VxlanInfo> vxlan;        // -d, kind vxlan
    std::string tunType;                   // -d, kind tun: "tun" or "tap"
    std::vector<InterfaceAddress> ipv4;
    std::vector<std::string> ipv6;         // "fe80::1/64": kept as text, not interpreted

    bool hasFlag(std::string_view flag) const;
    // The IPv6 addresses that parse, in order (the text is kept as printed).
    std::vector<Ipv6Prefix> ipv6Prefixes() const;
    bool isUp() const { return hasFlag("UP"); }             // administratively up
    bool hasCarrier() const { return hasFlag("LOWER_UP"); }
    bool operator==(const Interface &) const = default;
};

// What `ip addr` / `ip link` printed: the interfaces in output order, and what could
// not be read.
struct InterfaceList {
    std::vector<Interface> interfaces;
    // Lines (text) or elements and addresses (-j) that could not be read, each skipped:
    // message, trimmed excerpt, next step, line.
    std::vector<Error> unreadable;

    bool operator==(const InterfaceList &) const = default;
};

// Text or JSON, told apart by the first non-space character ('[' or '{' is JSON).
// Empty output (for example `ip addr show dev X` of a missing device, whose complaint
// goes to stderr) is an empty list. IPv6 addresses are kept as text. Lines inside a
// block that carry nothing kept here (valid_lft, -s counters) are skipped.
//
// Total per line: a line that cannot be read is kept in `unreadable` and skipped, and
// the rest is still read. The unit is the interface's block: a header line
// ("N: NAME: <FLAGS> ...") that cannot be read leaves that interface out, with the
// indented lines under it (they would describe an interface of unknown name); an
// indented line that cannot be read (an inet line, VXLAN details) leaves out only what
// it says. In JSON an element that is not an interface object is skipped, and an
// addr_info entry that cannot be read is skipped from its interface. Errors are only:
// output that is no `ip addr` at all (nothing but unreadable lines: "Device \"x\" does
// not exist.", the -br form), JSON that does not parse or is not a list, and oversized
// output.
Result<InterfaceList> parseIpAddr(std::string_view output);
Result<InterfaceList> parseIpAddrText(std::string_view output);
Result<InterfaceList> parseIpAddrJson(std::string_view output);

// `ip link` / `ip -d link` print the same blocks as `ip addr`, without addresses.
inline Result<InterfaceList> parseIpLink(std::string_view output) { return parseIpAddr(output); }
inline Result<InterfaceList> parseIpLinkText(std::string_view output) { return parseIpAddrText(output); }
inline Result<InterfaceList> parseIpLinkJson(std::string_view output) { return parseIpAddrJson(output); }

const Interface *findInterface(const std::vector<Interface> &interfaces, std::string_view name);

} // namespace podpath::parse
