#include "verify/merge.hpp"

#include "core/text/counted.hpp"
#include "core/identity/test_identity.hpp"
#include "core/tap/tap_timeout.hpp"
#include "core/text/quoted.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace shardtap::tools {
namespace {

constexpr std::size_t listed_at_most = 10;

std::string points(std::size_t count) { return counted(count, "test point"); }

// Catch2's exit statuses of a run in which nothing failed: 0 passed, 4 every test case skipped.
bool catch2_passed(int status) { return status == 0 || status == 4; }

NodeSummary summarise(NodeStream const& node) {
    NodeSummary summary;
    summary.source = node.source;
    summary.index = node.stream.header.node_index;
    summary.seconds = node.stream.header.elapsed_seconds;
    if (node.stream.plan) summary.planned = node.stream.plan->count;
    static_cast<Tally&>(summary) = tally(node.stream.points);
    return summary;
}

// "a, b, c and 4 more"
std::string listing(std::vector<std::string> const& items) {
    std::string text;
    for (std::size_t i = 0; i < items.size() && i < listed_at_most; ++i) {
        text += (i == 0 ? "" : ", ") + items[i];
    }
    if (items.size() > listed_at_most) text += fmt::format(" and {} more", items.size() - listed_at_most);
    return text;
}

class Verifier {
public:
    explicit Verifier(std::vector<NodeStream> const& nodes) : m_nodes(nodes) {}

    MergeResult run() {
        for (auto const& node : m_nodes) {
            check_stream(node);
            m_result.nodes.push_back(summarise(node));
        }
        check_identities();
        check_test_cases();
        add_up();
        return std::move(m_result);
    }

private:
    void problem(Problem::Kind kind, std::string message) {
        m_result.problems.push_back({kind, std::move(message)});
    }

    void check_stream(NodeStream const& node) {
        auto const label = node_label(node);
        if (node.exit && node.exit->stopped_with != 0) return check_stopped(node, label);
        switch (node.state) {
            case StreamState::malformed:
                problem(Problem::Kind::malformed, fmt::format("{} is not a TAP stream: {}", label, node.problem));
                break;
            case StreamState::cut_short:
                problem(Problem::Kind::cut_short,
                        fmt::format("{} ended before its plan, after {} (the node died?): {}",
                                    label, points(node.stream.points.size()), node.problem));
                break;
            case StreamState::read: break;
        }
        if (node.stream.bail_out) check_bail_out(node, label);
        if (node.exit) check_exit(node, label);
    }

    void check_bail_out(NodeStream const& node, std::string const& label) {
        auto const& reason = node.stream.bail_out->reason;
        if (auto timeout = read_tap_timeout_reason(reason)) {
            problem(Problem::Kind::timed_out,
                    fmt::format("{}: test case {} timed out after {} s (SHARDTAP_TEST_TIMEOUT), "
                                "after {}", label, in_quotes(timeout->test_case), timeout->seconds,
                                points(node.stream.points.size())));
            return;
        }
        problem(Problem::Kind::bailed_out,
                fmt::format("{} bailed out after {}: {}", label, points(node.stream.points.size()), reason));
    }

    // A node that `shardtap run` stopped: one problem that says so, unless it had finished.
    void check_stopped(NodeStream const& node, std::string const& label) {
        auto const& exit = *node.exit;
        bool const whole = node.state == StreamState::read && !node.stream.bail_out;
        if (whole && exit.signal == 0 && catch2_passed(exit.status)) return;
        std::string said;
        if (node.stream.bail_out) said = fmt::format(" (it wrote Bail out! {})", node.stream.bail_out->reason);
        problem(Problem::Kind::cut_short,
                fmt::format("{} was cut short after {}: shardtap run stopped it with signal {}{}",
                            label, points(node.stream.points.size()), exit.stopped_with, said));
    }

    void check_exit(NodeStream const& node, std::string const& label) {
        auto const& exit = *node.exit;
        if (exit.signal != 0) {
            problem(Problem::Kind::node_failed, fmt::format("{} was killed by signal {}", label, exit.signal));
            return;
        }
        bool const any_failure = std::any_of(node.stream.points.begin(), node.stream.points.end(),
                                             [](TapPoint const& p) { return p.failed(); });
        // Any other status without a failing test point: the node stopped for a reason its
        // stream does not show.
        if (!catch2_passed(exit.status) && !any_failure && node.state == StreamState::read &&
            !node.stream.bail_out) {
            problem(Problem::Kind::node_failed,
                    fmt::format("{} exited with status {} although no test failed; see its log",
                                label, exit.status));
        }
    }

    void check_identities() {
        std::map<std::size_t, std::vector<std::string>> by_total;
        std::map<std::string, std::vector<std::string>> by_fingerprint;
        std::map<std::size_t, std::vector<std::string>> by_index;
        for (auto const& node : m_nodes) {
            auto const& header = node.stream.header;
            if (!header.node_index || !header.node_total) {
                if (m_nodes.size() > 1 && node.state == StreamState::read) {
                    problem(Problem::Kind::no_header,
                            fmt::format("{} has no shardtap node header, so it cannot be told "
                                        "which node it is (was it run with -r tap-stream?)",
                                        node.source));
                }
                continue;
            }
            by_total[*header.node_total].push_back(node.source);
            by_index[*header.node_index].push_back(node.source);
            if (!header.fingerprint.empty()) by_fingerprint[header.fingerprint].push_back(node.source);
            if (*header.node_index >= *header.node_total) {
                problem(Problem::Kind::node_count_differs,
                        fmt::format("{} says it is node {} of {}", node.source, *header.node_index,
                                    *header.node_total));
            }
        }
        if (by_total.size() > 1) {
            std::vector<std::string> groups;
            for (auto const& [total, sources] : by_total) {
                groups.push_back(fmt::format("{} nodes in {}", total, listing(sources)));
            }
            problem(Problem::Kind::node_count_differs,
                    "the streams disagree on the node count: " + fmt::format("{}", fmt::join(groups, "; ")));
        }
        if (by_fingerprint.size() > 1) {
            std::vector<std::string> groups;
            for (auto const& [fingerprint, sources] : by_fingerprint) {
                groups.push_back(fmt::format("{} in {}", fingerprint, listing(sources)));
            }
            problem(Problem::Kind::fingerprint_differs,
                    "the nodes computed different splits (different builds, filters or "
                    "environment): fingerprint " + fmt::format("{}", fmt::join(groups, "; ")));
        }
        for (auto const& [index, sources] : by_index) {
            if (sources.size() > 1) {
                problem(Problem::Kind::node_twice,
                        fmt::format("node {} appears {} times: {}", index, sources.size(), listing(sources)));
            }
        }
        if (by_total.size() == 1) {
            auto const total = by_total.begin()->first;
            std::vector<std::string> missing;
            for (std::size_t index = 0; index < total; ++index) {
                if (by_index.count(index) == 0) missing.push_back(fmt::format("{}", index));
            }
            if (!missing.empty()) {
                problem(Problem::Kind::node_missing,
                        fmt::format("{} of the {} nodes {} no stream: node {}", missing.size(), total,
                                    missing.size() == 1 ? "has" : "have", listing(missing)));
            }
        }
    }

    void check_test_cases() {
        // Identities as the streams give them: a name, with class and tags where it is shared.
        std::map<TestIdentity, std::vector<std::size_t>, std::less<>> nodes_of;  // -> m_nodes[n]
        for (std::size_t n = 0; n < m_nodes.size(); ++n) {
            std::set<TestIdentityView> seen_here;
            for (auto const& point : m_nodes[n].stream.points) {
                if (seen_here.insert(point.identity()).second) {
                    nodes_of[TestIdentity(point.identity())].push_back(n);
                }
            }
        }
        std::vector<std::string> twice;
        for (auto const& [identity, where] : nodes_of) {
            if (where.size() < 2) continue;
            std::vector<std::string> labels;
            for (auto n : where) labels.push_back(node_label(m_nodes[n]));
            twice.push_back(fmt::format("{} on {}", describe(identity), fmt::join(labels, " and ")));
        }
        if (!twice.empty()) {
            problem(Problem::Kind::ran_twice,
                    fmt::format("{} ran on more than one node: {}", counted(twice.size(), "test case"),
                                listing(twice)));
        }
    }

    void add_up() {
        for (auto const& node : m_result.nodes) {
            m_result += node;
            if (node.seconds) {
                m_result.sum_of_seconds += *node.seconds;
                m_result.longest_seconds = std::max(m_result.longest_seconds, *node.seconds);
            }
        }
        std::stable_sort(m_result.nodes.begin(), m_result.nodes.end(),
                         [](NodeSummary const& a, NodeSummary const& b) {
                             if (a.index.has_value() != b.index.has_value()) return a.index.has_value();
                             return a.index.value_or(0) < b.index.value_or(0);
                         });
        // With every stream whole and every node present, the nodes must have run the split.
        if (!m_result.problems.empty()) return;
        std::set<std::size_t> suite_sizes;
        for (auto const& node : m_nodes) {
            if (node.stream.header.suite_size) suite_sizes.insert(*node.stream.header.suite_size);
        }
        if (suite_sizes.size() == 1 && *suite_sizes.begin() != m_result.tests) {
            problem(Problem::Kind::count_differs,
                    fmt::format("the split holds {} test cases, but the nodes ran {}",
                                *suite_sizes.begin(), m_result.tests));
        }
    }

    std::vector<NodeStream> const& m_nodes;
    MergeResult m_result;
};

}  // namespace

bool MergeResult::has(Problem::Kind kind) const {
    return std::any_of(problems.begin(), problems.end(), [&](Problem const& p) { return p.kind == kind; });
}

MergeResult verify_merge(std::vector<NodeStream> const& nodes) { return Verifier(nodes).run(); }

}  // namespace shardtap::tools
