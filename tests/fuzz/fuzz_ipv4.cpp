// Address parsing (IPv4, IPv6, interface names) sits under every parser and every remote
// command: it must be total.
#include "core/interface_name.h"
#include "core/ipv4.h"
#include "core/ipv6.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    std::string_view s(reinterpret_cast<const char *>(data), size);
    if (auto a = podpath::Ipv4::parse(s)) {
        // Round trip: what we print is what we read.
        if (podpath::Ipv4::parse(a->toString()) != a)
            __builtin_trap();
    }
    if (auto p = podpath::Ipv4Prefix::parse(s))
        (void)p->contains(p->address());
    if (auto a = podpath::Ipv6::parse(s)) {
        if (podpath::Ipv6::parse(a->toString()) != a)
            __builtin_trap();
    }
    if (auto p = podpath::Ipv6Prefix::parse(s)) {
        // A prefix holds its own address and its network; printed, it reads back the same.
        if (!p->contains(p->address()) || !p->contains(p->network()) || podpath::Ipv6Prefix::parse(p->toString()) != p)
            __builtin_trap();
    }
    (void)podpath::InterfaceName::parse(s);
    return 0;
}
