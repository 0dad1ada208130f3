#include "verify/node_stream.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace shardtap::tools {

NodeStream read_node_stream(std::string source, std::string_view text) {
    NodeStream node;
    node.source = std::move(source);
    try {
        node.stream = read_tap(text);
        // Every line a writer finishes ends with a newline; a last line without one was cut.
        if (!text.empty() && text.back() != '\n' && !node.stream.bail_out) {
            node.state = StreamState::cut_short;
            node.problem = "the stream ends inside its last line";
        }
    } catch (TapReadError const& error) {
        node.stream = error.partial();
        bool const cut = error.kind() == TapReadError::Kind::truncated;
        node.state = cut ? StreamState::cut_short : StreamState::malformed;
        node.problem = fmt::format("line {}: {}", error.line(), error.problem());
    }
    return node;
}

std::optional<std::string> node_name(NodeStream const& node) {
    auto const& index = node.stream.header.node_index;
    if (!index) return std::nullopt;
    return fmt::format("node {}", *index);
}

std::string node_label(NodeStream const& node) {
    auto const name = node_name(node);
    return name ? fmt::format("{} ({})", *name, node.source) : node.source;
}

std::vector<NodeStream const*> in_node_order(std::vector<NodeStream> const& nodes) {
    std::vector<NodeStream const*> ordered;
    for (auto const& node : nodes) ordered.push_back(&node);
    std::stable_sort(ordered.begin(), ordered.end(), [](NodeStream const* a, NodeStream const* b) {
        auto const& x = a->stream.header.node_index;
        auto const& y = b->stream.header.node_index;
        if (x.has_value() != y.has_value()) return x.has_value();
        return x.value_or(0) < y.value_or(0);
    });
    return ordered;
}

}  // namespace shardtap::tools
