// `ipset list -o xml`: the same fields as the plain listing, as elements.
#include "ipset.h"

#include "ipset_member.h"
#include "text.h"

#include <QByteArray>
#include <QXmlStreamReader>

namespace podpath::parse {

namespace {

std::string str(QStringView s) { return s.toString().toStdString(); }

Error xmlError(const QXmlStreamReader &xml, std::string message)
{
    return Error{std::move(message), str(xml.errorString()), "the output may be cut off; list the sets again",
                 int(xml.lineNumber())};
}

} // namespace

Result<IpsetList> parseIpsetXml(std::string_view input)
{
    if (input.size() > text::kMaxInputBytes)
        return Error{"ipset output is larger than PodPath reads", "", "", 0};
    IpsetList list;
    if (text::trim(input).empty())
        return list;
    QXmlStreamReader xml(QByteArray(input.data(), qsizetype(input.size())));
    if (!xml.readNextStartElement() || xml.name() != u"ipsets")
        return xmlError(xml, "ipset XML does not start with <ipsets>");
    while (xml.readNextStartElement()) {
        if (xml.name() != u"ipset") {
            xml.skipCurrentElement();
            continue;
        }
        Ipset s;
        s.name = str(xml.attributes().value(QStringLiteral("name")));
        s.line = int(xml.lineNumber());
        std::string header;
        while (xml.readNextStartElement()) {
            const auto name = xml.name().toString();
            if (name == u"type") {
                s.type = xml.readElementText().toStdString();
            } else if (name == u"revision") {
                auto n = text::toUnsigned<unsigned>(xml.readElementText().toStdString());
                if (n && *n <= 1000000)
                    s.revision = int(*n);
            } else if (name == u"header") {
                while (xml.readNextStartElement()) {
                    const auto field = xml.name().toString().toStdString();
                    const auto value = xml.readElementText().toStdString();
                    if (field == "memsize")
                        s.sizeInMemory = text::toUnsigned(value);
                    else if (field == "references")
                        s.references = text::toUnsigned(value);
                    else if (field == "numentries")
                        s.numberOfEntries = text::toUnsigned(value);
                    else
                        header += (header.empty() ? "" : " ") + field + (value.empty() ? "" : " " + value);
                }
                ipset_detail::readHeader(s, header);
            } else if (name == u"members") {
                s.membersListed = true;
                while (xml.readNextStartElement()) {
                    if (xml.name() != u"member") {
                        xml.skipCurrentElement();
                        continue;
                    }
                    // Rebuilt as the plain listing prints it, so one reader checks both.
                    std::string line;
                    const int lineNo = int(xml.lineNumber());
                    while (xml.readNextStartElement()) {
                        const auto field = xml.name().toString().toStdString();
                        const auto value = xml.readElementText().toStdString();
                        if (field == "elem")
                            line = value + line;
                        else
                            line += " " + field + (value.empty() ? "" : " " + value);
                    }
                    if (xml.hasError())
                        break;
                    auto m = ipset_detail::memberOf(s, line, lineNo);
                    if (!m)
                        return m.error();
                    s.members.push_back(std::move(m).value());
                }
            } else {
                xml.skipCurrentElement();
            }
        }
        if (xml.hasError())
            break;
        list.sets.push_back(std::move(s));
    }
    if (xml.hasError())
        return xmlError(xml, "ipset XML does not read");
    return list;
}

} // namespace podpath::parse
