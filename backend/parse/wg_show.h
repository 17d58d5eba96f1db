#pragma once
// `wg show DEVICE` (wireguard-tools, the pretty form), as PodPath runs it on a node for
// Calico's WireGuard device (wireguard.cali, wg-v6.cali): whose keys the node holds, where
// it sends each peer's packets, which pod addresses each peer may carry, and whether the
// peers ever completed a handshake. PodPath never runs `wg show DEVICE dump` or
// `wg showconf`: both print the private key. This form prints "private key: (hidden)",
// and the parser keeps nothing of that line (nor of "preshared key") even when a wg run
// with WG_HIDE_KEYS=never printed the key itself. Recorded outputs and what each shows:
// tests/fixtures/wg-show/README.md.
//
// Total per line: a line that cannot be read (a field before "interface:", a value that
// does not read, text wg does not print) is kept in `unreadable`, naming its line, and
// skipped; every other line is still read. Where a field is kept as printed (endpoint,
// allowedIps) the printed text stays even when its parsed form does not read. Errors are
// only: empty output (wg printed its complaint on stderr: no such device, not root),
// output with no "interface:" line, and oversized output.

#include "core/ip_address.h"
#include "core/ipv4.h"
#include "core/ipv6.h"
#include "core/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace podpath::parse {

struct WireguardPeer {
    std::string publicKey;                        // base64, as printed after "peer: "
    bool presharedKey = false;                    // "preshared key: (hidden)" was printed; its value is never kept
    std::optional<std::string> endpoint;          // as printed: "198.51.100.2:51820", "[2001:db8::2]:51820";
                                                  // absent until the peer is configured with one or is heard from
    std::optional<IpAddress> endpointAddress;     // a zone ("%eth0") is dropped
    std::optional<std::uint16_t> endpointPort;
    std::vector<std::string> allowedIps;          // as printed, "198.18.1.0/26"; empty for "(none)"
    std::vector<Ipv4Prefix> allowedIpv4;          // the IPv4 ones that read
    std::vector<Ipv6Prefix> allowedIpv6;          // the IPv6 ones that read
    // Seconds between the last completed handshake and the moment wg ran (0 for "Now"),
    // to the second. Absent when no handshake ever completed (wg prints no line), and when
    // the node's clock is behind the handshake's time (latestHandshakeInFuture).
    std::optional<std::int64_t> latestHandshakeAgoSeconds;
    bool latestHandshakeInFuture = false;         // "(System clock wound backward; ...)"
    // "transfer: 1.04 MiB received, 476 B sent": exact below 1 KiB, otherwise wg's two
    // decimals times the unit (within 0.5% of what was counted). Absent when both are 0:
    // wg then prints no line.
    std::optional<std::uint64_t> receivedBytes;
    std::optional<std::uint64_t> sentBytes;
    std::optional<std::int64_t> persistentKeepaliveSeconds;  // "every 25 seconds"; absent: off
    int line = 0;                                 // of the "peer:" line

    bool operator==(const WireguardPeer &) const = default;
};

struct WireguardDevice {
    std::string name;                             // "interface: wireguard.cali"
    // Empty when the device has no private key yet: wg prints neither key line then.
    std::string publicKey;
    std::optional<std::uint16_t> listenPort;      // "listening port"; absent when wg reports none (port 0)
    std::optional<std::uint32_t> fwmark;          // "fwmark: 0x100000" (Felix's default); absent: none
    std::vector<WireguardPeer> peers;             // in output order: wg sorts them newest handshake first
    std::vector<Error> unreadable;                // lines skipped, in order; Error::line names each
    int line = 0;                                 // of the "interface:" line

    const WireguardPeer *findPeer(std::string_view publicKey) const;
    // The peer WireGuard would send a packet for this address to: the longest allowed IP
    // that contains it, across all peers (cryptokey routing). Null when none does.
    const WireguardPeer *peerFor(const IpAddress &address) const;

    bool operator==(const WireguardDevice &) const = default;
};

// Reads stdout only; colour escape codes (WG_COLOR_MODE=always, or a pty) are skipped.
// Only the first device is read: `wg show` without a device name, or `wg show all`,
// prints one block per device, and the later blocks are skipped as one unreadable entry.
Result<WireguardDevice> parseWgShow(std::string_view output);

} // namespace podpath::parse
