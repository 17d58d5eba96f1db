#include "finding_codes.h"

#include "remote/error_codes.h"

namespace podpath::diagnose {

Finding makeFinding(FindingCode code, std::string blames, std::string message, std::vector<std::string> evidence,
                    std::string nextStep)
{
    return {std::string(code.name()), code.info().severity, std::move(blames), std::move(message), std::move(evidence),
            std::move(nextStep)};
}

bool hasCode(const Finding &f, FindingCode code) { return f.code == code.name(); }

CheckResult failCheck(CheckResult &c, std::vector<Finding> &findings, FindingCode code, const std::string &message,
                      std::string nextStep)
{
    c.status = Status::Fail;
    c.detail = message;
    findings.push_back(makeFinding(code, c.id, message, c.evidence, std::move(nextStep)));
    return c;
}

std::string findingCodeFor(const Error &error, FindingCode fallback)
{
    const std::string_view code = error.code;
    if (code == remote::kRootUnavailable || code == remote::kSudoPasswordRejected)
        return std::string(kNoPrivilege.name());
    for (const auto &f : kFindingCodes)
        if (f.code == code)
            return error.code;
    if (!code.empty() && remote::errorCodeInfo(code))
        return error.code;
    return std::string(fallback.name());
}

} // namespace podpath::diagnose
