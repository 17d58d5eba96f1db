#pragma once
// `ipset list [NAME]` (also `-t`, terse: no members) and `ipset save`. Calico keeps its hosts in felix-calico-hosts-4 (hash:ip, older)
// or cali40all-hosts-net / cali40all-vxlan-net (hash:net): the diagnosis asks
// whether the peer's source address is in there.
//
// Kept: header fields PodPath does not know (in headerOptions / as unread lines
// between "Name:" and "Members:").
//
// Total per line: a line that cannot be read (a line outside any set, a member whose
// address does not read for ip/net sets of family inet, a number field that is not a
// number, a line ipset printed among the sets) is kept in `unreadable`, naming its
// line, and skipped; every other line is still read. The only error is input that is
// no listing at all (nothing but unreadable lines: "The set with the given name does
// not exist", "Operation not permitted"). Empty input is an empty list: ipset prints
// nothing when no set exists.

#include "core/ipv4.h"
#include "core/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace podpath::parse {

struct IpsetMember {
    std::string element;   // as printed: "198.51.100.20/30", "198.51.100.11,udp:4789", "felix-calico-hosts-4"
    std::string options;   // the rest of the line: "timeout 295", "nomatch", "packets 7 bytes 420 comment \"x\""
    std::optional<Ipv4Prefix> prefix;   // the address part, for ip/net set types of family inet
    std::optional<std::uint64_t> timeout;  // seconds left
    bool nomatch = false;  // hash:net exception: addresses in it are *not* in the set
    int line = 0;
};

struct Ipset {
    std::string name;
    std::string type;      // "hash:ip", "hash:net", "hash:ip,port", "list:set", ...
    std::optional<int> revision;
    std::string header;    // as printed: "family inet hashsize 1024 maxelem 65536 ..."
    std::vector<std::pair<std::string, std::string>> headerOptions;  // flags (counters, comment) have ""
    std::optional<std::uint64_t> sizeInMemory;
    std::optional<std::uint64_t> references;
    std::optional<std::uint64_t> numberOfEntries;  // as announced; members may differ for timeout sets
    bool membersListed = false;  // false for `ipset list -t`
    std::vector<IpsetMember> members;
    int line = 0;

    std::optional<std::string> headerValue(std::string_view key) const;
    std::string family() const;  // "inet" unless the header says otherwise
    std::optional<std::uint64_t> maxelem() const;
    std::optional<std::uint64_t> timeout() const;
    // Whether the set's first dimension is an IPv4 address or network (hash:ip*,
    // hash:net*, bitmap:ip*), so contains() can answer.
    bool holdsAddresses() const;
    // Whether an address is in the set, as the kernel decides it for the address
    // dimension: the most specific covering member wins and a nomatch member
    // excludes; a hash:ip netmask widens members. For sets with more dimensions
    // (hash:ip,port) it says whether any member has that address. list:set and
    // other types answer false: check the member sets themselves.
    bool contains(Ipv4 address) const;
};

struct IpsetList {
    std::vector<Ipset> sets;
    std::vector<Error> unreadable;  // lines skipped, in order; Error::line names each
    const Ipset *find(std::string_view name) const;
};

Result<IpsetList> parseIpsetList(std::string_view text);

} // namespace podpath::parse
