#pragma once
// What `ipset list` and `ipset save` share: the header options and the
// reading of one member. Internal to the ipset parsers.

#include "core/result.h"
#include "ipset.h"

#include <string_view>

namespace podpath::parse::ipset_detail {

// "family inet hashsize 1024 maxelem 65536 counters comment bucketsize 12"
void readHeader(Ipset &set, std::string_view header);

// "198.51.100.13 timeout 295", "198.51.100.64/26 nomatch", "198.51.100.11,udp:4789".
// An address that does not read, in a set of IPv4 addresses, is an error: it is
// how a cut-off listing shows.
Result<IpsetMember> memberOf(const Ipset &set, std::string_view line, int lineNo);

} // namespace podpath::parse::ipset_detail
