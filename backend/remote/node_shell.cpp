#include "remote/node_shell.h"

namespace podpath::remote {

const char *privilegeName(Privilege p)
{
    switch (p) {
    case Privilege::Unknown: return "unknown";
    case Privilege::Root: return "root";
    case Privilege::SudoNoPassword: return "sudo";
    case Privilege::SudoPassword: return "sudo-password";
    case Privilege::SudoRestricted: return "sudo-restricted";
    case Privilege::None: return "none";
    }
    return "unknown";
}

} // namespace podpath::remote
