#include "readable_time.h"

namespace podpath::report {

std::string readableTime(std::string_view iso, bool seconds)
{
    if (iso.size() < 16 || iso[10] != 'T')
        return std::string(iso);
    std::string t = std::string(iso.substr(0, 10)) + " " + std::string(iso.substr(11, seconds ? 8 : 5));
    return iso.back() == 'Z' ? t + " UTC" : t;
}

} // namespace podpath::report
