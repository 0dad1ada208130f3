#include <shardtap/parameter_id.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace shardtap {
namespace {

template <class Floating>
std::string shortest(Floating value) {
    if (std::isnan(value)) return "nan";
    if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
    char buffer[64];
    auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

}  // namespace

std::string parameter_id(std::string const& text) { return text; }
std::string parameter_id(bool value) { return value ? "true" : "false"; }
std::string parameter_id(long long value) { return std::to_string(value); }
std::string parameter_id(unsigned long long value) { return std::to_string(value); }
std::string parameter_id(double value) { return shortest(value); }
std::string parameter_id(float value) { return shortest(value); }

std::string escape_parameter_id(std::string const& id) {
    std::string escaped;
    escaped.reserve(id.size());
    for (char c : id) {
        auto const byte = static_cast<unsigned char>(c);
        switch (c) {
            case '\\': escaped += "\\\\"; break;
            case '\n': escaped += "\\n"; break;
            case '\t': escaped += "\\t"; break;
            case '\r': escaped += "\\r"; break;
            default:
                if (byte < 0x20 || byte == 0x7f) {
                    escaped += fmt::format("\\x{:02x}", byte);
                } else {
                    escaped += c;
                }
        }
    }
    return escaped;
}

std::string parametrized_name(std::string const& name, std::string const& id, std::size_t position,
                              std::size_t count) {
    auto const last = count > 0 ? count - 1 : 0;
    auto const width = std::to_string(std::max(last, position)).size();
    if (id.empty()) return fmt::format("{}[{:0{}}]", name, position, width);
    return fmt::format("{}[{}-{:0{}}]", name, escape_parameter_id(id), position, width);
}

}  // namespace shardtap
