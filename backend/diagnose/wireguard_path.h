#pragma once
// The echoes across WireGuard. Between two nodes that both run Calico's WireGuard, an echo
// crosses the WireGuard device in the clear and the underlay inside a transport-data
// packet nobody can read. Three facts tie them together: the node encrypts what enters the
// device in that order and at once (the sealed packet follows the clear one within
// moments, in the same capture, on the same clock), the sealed packet's length is the
// echo's padded to 16 plus 32 (an 84-byte echo and a full-size probe never share it),
// and its receiver index and counter name it on the other node's wire too. So each echo a
// node sent into its device is paired with the next unpaired sealed packet of its length
// that left towards the peer before the node's next echo, and followed to the peer by its
// receiver and counter. What comes out are ordinary echo sightings on the underlay hops
// (Wrapping::Wireguard), judged like any other.

#include "echo_sighting.h"

#include <optional>
#include <string>
#include <vector>

namespace podpath::diagnose {

struct WireguardLink {
    std::string clientDevice, serverDevice;  // wireguard.cali on each node
};

// The sighting of the sealed packet that carried each echo, on the node that sent it and,
// when found there, on its peer. `echoes` are all sightings of both nodes' captures;
// `sealed` all WireGuard messages of both.
std::vector<EchoSighting> sealedEchoSightings(const WireguardLink &link, const std::vector<EchoSighting> &echoes,
                                              const std::vector<SealedSighting> &sealed);

// What WireGuard's own messages between the two nodes said, for the reader of a loss.
struct WireguardWire {
    std::uint16_t clientPort = 0, serverPort = 0;  // the UDP port each node sent to the other (0: nothing seen)
    int clientInitiations = 0, serverInitiations = 0;  // handshake initiations each sent to the other
    int clientResponses = 0, serverResponses = 0;
    int clientInitiationsReceived = 0, serverInitiationsReceived = 0;  // from the other, on each node's wire
    int clientDataSent = 0, serverDataSent = 0;  // transport-data packets each sent to the other
    std::vector<std::string> handshakeEvidence;   // a few of the handshake messages, as seen
};
WireguardWire wireguardWire(const std::vector<SealedSighting> &sealed);

// The length of the transport-data packet (UDP payload) that carries an IP packet of
// `innerLength` bytes.
constexpr std::uint32_t sealedLength(std::uint32_t innerLength) { return 32 + (innerLength + 15) / 16 * 16; }

} // namespace podpath::diagnose
