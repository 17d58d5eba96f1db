#pragma once
// What `ip netns list` prints: the named network namespaces (container runtimes bind
// them under /var/run/netns: containerd's "cni-<uuid>", CRI-O's "<uuid>"), each with the
// id this namespace gave it when it has one ("cni-1f2e... (id: 3)"). A pod's veth names
// the same id (Interface::linkNetnsId), which is how a pod's namespace is found.

#include "core/result.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace podpath::parse {

struct NamedNetns {
    std::string name;
    std::optional<int> id;  // none: this namespace has not numbered it
    bool operator==(const NamedNetns &) const = default;
};

struct NetnsList {
    std::vector<NamedNetns> namespaces;
    std::vector<Error> unreadable;  // lines skipped, each with its line number

    const NamedNetns *withId(int id) const;
};

// Text only (BusyBox's ip has no netns at all; -j adds nothing the text lacks). An empty
// output is an empty list: a node without named namespaces.
NetnsList parseIpNetnsList(std::string_view text);

} // namespace podpath::parse
