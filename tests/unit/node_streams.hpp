#pragma once
// Node TAP streams for the tools' unit tests, written with the project's own encoder and
// header code, as the tap-stream reporter writes them.

#include "verify/node_stream.hpp"

#include "core/tap/tap_encoder.hpp"
#include "core/tap/tap_header.hpp"

#include <optional>
#include <string>
#include <vector>

namespace test_streams {

struct Point {
    std::string name;
    bool ok = true;
    shardtap::TapDirective directive = shardtap::TapDirective::none;
    std::string class_name;  // class and tags, as the reporter writes them for a shared name
    std::string tags;
    std::optional<double> elapsed_ms;
};

struct Node {
    std::size_t index = 0;
    std::size_t total = 1;
    std::vector<Point> points;
    std::string fingerprint = "f00d";
    std::optional<std::size_t> suite_size;
    double seconds = 1.0;
    bool header = true;
};

// As the reporter writes it: the plan on line 2 (tappy accepts it only there or last), the
// header after it, the points, the elapsed time last.
inline std::string tap_text(Node const& node) {
    shardtap::TapEncoder tap;
    std::string out(tap.version());
    if (node.points.empty()) {
        out += tap.skip_all("no test cases on this node");
    } else {
        out += tap.plan(node.points.size());
    }
    if (node.header) {
        shardtap::TapHeader header;
        header.node_index = node.index;
        header.node_total = node.total;
        header.strategy = "round-robin";
        header.fingerprint = node.fingerprint;
        header.suite_size = node.suite_size;
        out += tap.header(header);
    }
    for (auto const& point : node.points) {
        out += tap.point({point.ok, point.name, point.directive, {}, nullptr, point.class_name,
                          point.tags, point.elapsed_ms});
    }
    if (node.header) {
        shardtap::TapHeader end;
        end.elapsed_seconds = node.seconds;
        out += tap.header(end);
    }
    return out;
}

inline shardtap::tools::NodeStream stream(Node const& node) {
    return shardtap::tools::read_node_stream("node-" + std::to_string(node.index) + ".tap", tap_text(node));
}

// `total` nodes splitting `names` round-robin, all passing.
inline std::vector<shardtap::tools::NodeStream> split(std::vector<std::string> const& names,
                                                      std::size_t total) {
    std::vector<Node> nodes(total);
    for (std::size_t i = 0; i < total; ++i) {
        nodes[i].index = i;
        nodes[i].total = total;
        nodes[i].suite_size = names.size();
    }
    for (std::size_t i = 0; i < names.size(); ++i) nodes[i % total].points.push_back({names[i]});
    std::vector<shardtap::tools::NodeStream> streams;
    for (auto const& node : nodes) streams.push_back(stream(node));
    return streams;
}

inline std::vector<std::string> names(std::size_t count) {
    std::vector<std::string> result;
    for (std::size_t i = 0; i < count; ++i) result.push_back("test " + std::to_string(i));
    return result;
}

}  // namespace test_streams
