// `ip -j addr` / `ip -j [-d] link`: the same Interface values the text reader gives for
// the same state, so the diagnosis never cares which form a node produced.

#include "ip_addr.h"

#include "ip_json.h"

#include <algorithm>

namespace podpath::parse {

namespace {

using ipjson::Fields;

void readVxlan(Fields &data, VxlanInfo &v)
{
    if (auto id = data.number("id", 0xffffffffu))
        v.vni = std::uint32_t(*id);
    v.local = data.ipv4("local");
    v.remote = data.ipv4("remote");
    if (!v.remote)
        v.remote = data.ipv4("group");
    v.device = data.string("link").value_or("");
    if (auto port = data.number("port", 0xffff))
        v.dstPort = std::uint16_t(*port);
    v.learning = data.boolean("learning", true);
    v.external = data.boolean("external", false);
}

void readLinkInfo(Fields &f, Interface &out)
{
    Fields info = f.object("linkinfo");
    out.kind = info.string("info_kind").value_or("");
    out.slaveKind = info.string("info_slave_kind").value_or("");
    Fields data = info.object("info_data");
    if (out.kind == "vxlan") {
        VxlanInfo v;
        readVxlan(data, v);
        out.vxlan = v;
    } else if (out.kind == "tun") {
        out.tunType = data.string("type").value_or("");
    }
    info.absorb(data);
    f.absorb(info);
}

void readAddress(Fields &f, Interface &out)
{
    auto family = f.string("family").value_or("");
    auto local = f.string("local").value_or("");
    auto length = f.number("prefixlen", family == "inet" ? 32 : 128);
    if (family == "inet6") {
        if (local.empty())
            f.fail("addr_info without \"local\"");
        else
            out.ipv6.push_back(length ? local + "/" + std::to_string(*length) : local);
        return;
    }
    if (family != "inet")
        return;  // other families are not PodPath's business
    auto address = Ipv4::parse(local);
    if (!address) {
        f.fail("addr_info with an unreadable local address");
        return;
    }
    InterfaceAddress a;
    a.address = Ipv4Prefix(*address, int(length.value_or(32)));
    a.peer = f.ipv4("address");
    a.broadcast = f.ipv4("broadcast");
    a.scope = f.string("scope").value_or("");
    a.label = f.string("label").value_or("");
    // Flags are printed as "secondary": true and so on; everything else has a value.
    const auto &raw = f.raw();
    for (auto it = raw.begin(); it != raw.end(); ++it)
        if (it.value().isBool() && it.value().toBool())
            a.flags.push_back(it.key().toStdString());
    std::sort(a.flags.begin(), a.flags.end());
    out.ipv4.push_back(std::move(a));
}

} // namespace

Result<InterfaceList> parseIpAddrJson(std::string_view output)
{
    auto doc = ipjson::load(output, "ip -j addr");
    if (!doc)
        return doc.error();
    InterfaceList list;
    for (std::size_t n = 0; n < doc->elements.size(); ++n) {
        Fields f(doc->elements[n], doc->lineOf(n), "ip -j addr");
        Interface iface;
        auto index = f.number("ifindex", 0x7fffffff);
        auto name = f.string("ifname");
        if (f.isObject() && (!index || !name))
            f.fail("an interface without \"ifindex\" or \"ifname\"");
        iface.index = int(index.value_or(0));
        iface.name = name.value_or("");
        // The text form prints "@if5" when the peer lives in another namespace.
        if (auto linkIndex = f.number("link_index", 0xffffffffu))
            iface.linkPeer = "if" + std::to_string(*linkIndex);
        else if (f.has("link"))
            iface.linkPeer = f.string("link").value_or("NONE");
        iface.flags = f.strings("flags");
        if (auto mtu = f.number("mtu", 0xffffffffu))
            iface.mtu = std::uint32_t(*mtu);
        iface.operState = f.string("operstate").value_or("");
        iface.master = f.string("master").value_or("");
        iface.linkType = f.string("link_type").value_or("");
        iface.linkAddress = f.string("address").value_or("");
        iface.altNames = f.strings("altnames");
        if (auto nsid = f.number("link_netnsid", 0x7fffffffu))
            iface.linkNetnsId = int(*nsid);
        readLinkInfo(f, iface);
        // As an unreadable inet line in text, an address that cannot be read is
        // skipped and its interface kept.
        std::vector<Error> badAddresses;
        for (const auto &element : f.array("addr_info")) {
            Fields a(element, doc->lineOf(n), "ip -j addr");
            Interface read;
            readAddress(a, read);
            if (a.error()) {
                badAddresses.push_back(*a.error());
                continue;
            }
            iface.ipv4.insert(iface.ipv4.end(), read.ipv4.begin(), read.ipv4.end());
            iface.ipv6.insert(iface.ipv6.end(), read.ipv6.begin(), read.ipv6.end());
        }
        if (f.error()) {
            list.unreadable.push_back(*f.error());
            continue;
        }
        list.unreadable.insert(list.unreadable.end(), badAddresses.begin(), badAddresses.end());
        list.interfaces.push_back(std::move(iface));
    }
    // Elements, yet none an interface: not `ip -j addr` (a malformed document is
    // refused by load above).
    if (list.interfaces.empty() && !list.unreadable.empty())
        return list.unreadable.front();
    return list;
}

} // namespace podpath::parse
