// Split quality of round-robin, Catch2's contiguous blocks (--shard-count/--shard-index) and
// shardtap's duration strategy: R* = (max node time) / max(total / N, longest test), where 1 is
// the best any split can promise. Predicted over many generated sets of durations, then measured
// for a few sets on a binary whose test cases sleep their durations.
//
//     split_quality [--predicted-only] [--sleeper PATH --sleeper-plain PATH]
//
// The sleepers default to split_quality_sleeper and split_quality_sleeper_plain beside this
// program.
#include "core/durations/durations.hpp"
#include "posix/durations_file.hpp"
#include "core/split/partition.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <functional>
#include <map>
#include <numeric>
#include <random>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;
using Seconds = std::vector<double>;  // one per test case, in declaration (= run) order

// ---- duration sets -------------------------------------------------------------------------

enum class Shape { uniform, lognormal, few_long, tiny, clustered };
constexpr Shape shapes[] = {Shape::uniform, Shape::lognormal, Shape::few_long, Shape::tiny,
                            Shape::clustered};

char const* name_of(Shape shape) {
    switch (shape) {
        case Shape::uniform: return "uniform";
        case Shape::lognormal: return "lognormal";
        case Shape::few_long: return "few-long";
        case Shape::tiny: return "tiny";
        case Shape::clustered: return "clustered";
    }
    return "?";
}

// uniform: 0.1-2 s. lognormal: median 0.37 s, sigma 1. few-long: 3 + n/1000 tests of 30-60 s
// scattered among tests of 0.05-0.5 s. tiny: exponential, mean 2 ms. clustered: few-long with
// the long tests next to each other in declaration order, as a parametrized family is.
Seconds generate(Shape shape, std::size_t count, std::mt19937_64& rng) {
    Seconds seconds(count);
    auto uniform = [&](double low, double high) {
        return std::uniform_real_distribution<double>(low, high)(rng);
    };
    switch (shape) {
        case Shape::uniform:
            for (auto& s : seconds) s = uniform(0.1, 2.0);
            break;
        case Shape::lognormal: {
            std::lognormal_distribution<double> lognormal(-1.0, 1.0);
            for (auto& s : seconds) s = lognormal(rng);
            break;
        }
        case Shape::tiny: {
            std::exponential_distribution<double> exponential(500.0);
            for (auto& s : seconds) s = exponential(rng);
            break;
        }
        case Shape::few_long:
        case Shape::clustered: {
            for (auto& s : seconds) s = uniform(0.05, 0.5);
            auto const long_tests = std::min(count, 3 + count / 1000);
            std::vector<std::size_t> positions(count);
            std::iota(positions.begin(), positions.end(), std::size_t{0});
            if (shape == Shape::few_long) {
                std::shuffle(positions.begin(), positions.end(), rng);
            } else {
                std::rotate(positions.begin(),
                            positions.begin() + static_cast<std::ptrdiff_t>(
                                                    std::uniform_int_distribution<std::size_t>(
                                                        0, count - long_tests)(rng)),
                            positions.end());
            }
            for (std::size_t i = 0; i < long_tests; ++i) seconds[positions[i]] = uniform(30, 60);
            break;
        }
    }
    return seconds;
}

std::string test_name(std::size_t position) { return fmt::format("test {:05}", position); }

// ---- the strategies ------------------------------------------------------------------------

enum class Method { round_robin, contiguous, duration, duration_noisy };
constexpr Method methods[] = {Method::round_robin, Method::contiguous, Method::duration,
                              Method::duration_noisy};

char const* name_of(Method method) {
    switch (method) {
        case Method::round_robin: return "round-robin";
        case Method::contiguous: return "Catch2 blocks";
        case Method::duration: return "duration";
        case Method::duration_noisy: return "duration, noisy";
    }
    return "?";
}

// Keys view their names: `names` keeps every name made so far (20,000 at most), in a deque so
// that adding names never moves the ones earlier keys view.
std::vector<shardtap::TestIdentityView> keys_for(std::size_t count) {
    static std::deque<std::string> names;
    while (names.size() < count) names.push_back(test_name(names.size()));
    std::vector<shardtap::TestIdentityView> keys;
    for (std::size_t i = 0; i < count; ++i) keys.push_back({names[i], "", ""});
    return keys;
}

shardtap::Durations durations_for(Seconds const& seconds) {
    shardtap::Durations durations;
    for (std::size_t i = 0; i < seconds.size(); ++i) durations.tests[test_name(i)] = seconds[i];
    return durations;
}

// Catch2's createShard (catch2/internal/catch_sharding.hpp): contiguous blocks of the run
// order, the first `count % nodes` blocks one longer.
std::vector<std::size_t> contiguous_node_of(std::size_t count, std::size_t nodes) {
    std::vector<std::size_t> node_of(count);
    auto const size = count / nodes;
    auto const leftover = count % nodes;
    for (std::size_t node = 0; node < nodes; ++node) {
        auto const begin = node * size + std::min(node, leftover);
        auto const end = (node + 1) * size + std::min(node + 1, leftover);
        for (auto i = begin; i < end; ++i) node_of[i] = node;
    }
    return node_of;
}

std::vector<std::size_t> shardtap_node_of(std::size_t count, std::size_t nodes,
                                          shardtap::Strategy strategy,
                                          shardtap::Durations const* durations) {
    auto const split = shardtap::split_suite(keys_for(count), nodes, strategy, durations);
    std::vector<std::size_t> node_of(count);
    for (std::size_t node = 0; node < split.shares.size(); ++node) {
        for (auto position : split.shares[node]) node_of[position] = node;
    }
    return node_of;
}

// What a durations file recorded on another run would say: each duration off by a random
// factor (lognormal, sigma 0.2).
shardtap::Durations noisy(Seconds const& seconds, std::mt19937_64& rng) {
    std::lognormal_distribution<double> factor(0.0, 0.2);
    auto durations = durations_for(seconds);
    for (auto& entry : durations.tests) entry.second *= factor(rng);
    return durations;
}

std::vector<std::size_t> node_of(Method method, Seconds const& seconds, std::size_t nodes,
                                 std::mt19937_64& rng) {
    switch (method) {
        case Method::round_robin:
            return shardtap_node_of(seconds.size(), nodes, shardtap::Strategy::round_robin, nullptr);
        case Method::contiguous: return contiguous_node_of(seconds.size(), nodes);
        case Method::duration: {
            auto const durations = durations_for(seconds);
            return shardtap_node_of(seconds.size(), nodes, shardtap::Strategy::duration, &durations);
        }
        case Method::duration_noisy: {
            auto const durations = noisy(seconds, rng);
            return shardtap_node_of(seconds.size(), nodes, shardtap::Strategy::duration, &durations);
        }
    }
    return {};
}

double lower_bound(Seconds const& seconds, std::size_t nodes) {
    auto const total = std::accumulate(seconds.begin(), seconds.end(), 0.0);
    return std::max(total / static_cast<double>(nodes),
                    *std::max_element(seconds.begin(), seconds.end()));
}

double predicted_r_star(Seconds const& seconds, std::vector<std::size_t> const& node_of,
                        std::size_t nodes) {
    std::vector<double> loads(nodes, 0.0);
    for (std::size_t i = 0; i < seconds.size(); ++i) loads[node_of[i]] += seconds[i];
    return *std::max_element(loads.begin(), loads.end()) / lower_bound(seconds, nodes);
}

// ---- statistics and tables -----------------------------------------------------------------

double percentile(std::vector<double> values, double fraction) {
    std::sort(values.begin(), values.end());
    auto rank = static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(values.size())));
    return values[std::max<std::size_t>(rank, 1) - 1];
}

struct Sample {
    Shape shape;
    std::size_t count;
    std::size_t nodes;
    std::map<Method, double> r_star;
};

std::string summary(std::vector<Sample const*> const& samples, Method method) {
    std::vector<double> values;
    for (auto const* sample : samples) values.push_back(sample->r_star.at(method));
    return fmt::format("{:5.3f} {:5.3f} {:6.3f}", percentile(values, 0.5), percentile(values, 0.95),
                       percentile(values, 1.0));
}

void print_table(std::string const& title, std::vector<Sample> const& samples,
                 std::function<std::string(Sample const&)> const& row_of) {
    fmt::print("\n{}\n{:<22}{:>5} ", title, "", "sets");
    for (auto method : methods) fmt::print("| {:^19}", name_of(method));
    fmt::print("\n{:<22}{:>5} ", "", "");
    for (auto method [[maybe_unused]] : methods) fmt::print("| {:>5} {:>5} {:>6} ", "p50", "p95", "max");
    fmt::print("\n");
    std::vector<std::string> rows;
    std::map<std::string, std::vector<Sample const*>> groups;
    for (auto const& sample : samples) {
        auto row = row_of(sample);
        if (!groups.count(row)) rows.push_back(row);
        groups[row].push_back(&sample);
    }
    for (auto const& row : rows) {
        fmt::print("{:<22}{:>5} ", row, groups[row].size());
        for (auto method : methods) fmt::print("| {} ", summary(groups[row], method));
        fmt::print("\n");
    }
}

std::vector<Sample> predict() {
    std::size_t const counts[] = {20, 200, 2000, 20000};
    std::size_t const node_counts[] = {2, 4, 8, 12, 32};
    unsigned const seeds = 4;
    std::vector<Sample> samples;
    double slowest_split = 0;
    for (auto shape : shapes) {
        for (auto nodes : node_counts) {
            for (auto count : counts) {
                for (unsigned seed = 1; seed <= seeds; ++seed) {
                    std::mt19937_64 rng(seed * 1000003u + count * 31u + nodes);
                    auto const seconds = generate(shape, count, rng);
                    Sample sample{shape, count, nodes, {}};
                    for (auto method : methods) {
                        auto const started = Clock::now();
                        auto const nodes_of = node_of(method, seconds, nodes, rng);
                        if (method == Method::duration) {
                            slowest_split = std::max(
                                slowest_split,
                                std::chrono::duration<double>(Clock::now() - started).count());
                        }
                        sample.r_star[method] = predicted_r_star(seconds, nodes_of, nodes);
                    }
                    samples.push_back(sample);
                }
            }
        }
    }
    fmt::print("Predicted split quality R* = max node time / max(total / N, longest test); 1 is "
               "ideal.\nShapes: {}; {} sets of each shape, N and size.\n",
               "uniform 0.1-2 s, lognormal (median 0.37 s), few-long (3 + n/1000 tests of 30-60 s "
               "among 0.05-0.5 s), tiny (mean 2 ms), clustered (few-long, the long ones adjacent)",
               seeds);
    fmt::print("'duration, noisy': split by durations off by a lognormal factor (sigma 0.2), "
               "judged by the true ones.\n");
    print_table("By shape and node count (sizes 20, 200, 2000, 20000 together):", samples,
                [](Sample const& s) { return fmt::format("{:<10} N={}", name_of(s.shape), s.nodes); });
    print_table("By number of test cases (all shapes and node counts):", samples,
                [](Sample const& s) { return fmt::format("{} tests", s.count); });
    print_table("All sets:", samples, [](Sample const&) { return std::string("all"); });

    std::vector<double> duration;
    std::size_t worse = 0;
    for (auto const& sample : samples) {
        duration.push_back(sample.r_star.at(Method::duration));
        if (sample.r_star.at(Method::duration) > sample.r_star.at(Method::round_robin) + 1e-12) ++worse;
    }
    auto const p95 = percentile(duration, 0.95);
    fmt::print("\nTarget: duration R* <= 1.05 at the 95th percentile: {:.4f} ({})\n", p95,
               p95 <= 1.05 ? "met" : "MISSED");
    fmt::print("Target: never worse than round-robin: worse in {} of {} sets ({})\n", worse,
               samples.size(), worse == 0 ? "met" : "MISSED");
    fmt::print("Slowest duration split (20,000 tests): {:.1f} ms\n", slowest_split * 1e3);
    return samples;
}

// ---- measured ------------------------------------------------------------------------------

struct Measured {
    double makespan;   // the slowest node's wall time, process start to exit
    double r_star;
};

// Runs `nodes` processes at once; returns the longest wall time.
double run_nodes(std::vector<std::vector<std::string>> const& commands,
                 std::vector<std::vector<std::string>> const& environments) {
    std::map<pid_t, Clock::time_point> started;
    double longest = 0;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    for (std::size_t i = 0; i < commands.size(); ++i) {
        std::vector<char*> argv, envp;
        for (auto const& a : commands[i]) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        for (auto const& e : environments[i]) envp.push_back(const_cast<char*>(e.c_str()));
        envp.push_back(nullptr);
        pid_t pid;
        auto const now = Clock::now();
        if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data()) != 0) {
            fmt::print(stderr, "cannot start {}\n", commands[i][0]);
            std::exit(1);
        }
        started[pid] = now;
    }
    posix_spawn_file_actions_destroy(&actions);
    while (!started.empty()) {
        int status = 0;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0) break;
        auto const now = Clock::now();
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fmt::print(stderr, "a node exited abnormally (status {})\n", status);
            std::exit(1);
        }
        longest = std::max(longest, std::chrono::duration<double>(now - started[pid]).count());
        started.erase(pid);
    }
    return longest;
}

std::vector<std::string> base_environment() {
    std::vector<std::string> environment;
    for (char** entry = environ; *entry; ++entry) {
        std::string_view text(*entry);
        if (text.rfind("SHARDTAP_", 0) == 0 || text.rfind("CI_NODE_", 0) == 0) continue;
        environment.emplace_back(text);
    }
    return environment;
}

void measure(std::string const& sleeper, std::string const& sleeper_plain) {
    struct Config {
        Shape shape;
        std::size_t count;
        std::size_t nodes;
        double total;  // seconds of sleep in the set
    };
    Config const configs[] = {{Shape::lognormal, 24, 4, 2.4},
                              {Shape::clustered, 40, 8, 2.8},
                              {Shape::few_long, 60, 4, 2.4},
                              {Shape::uniform, 30, 12, 2.0}};
    auto const directory = std::filesystem::temp_directory_path() /
                           fmt::format("split_quality.{}", getpid());
    std::filesystem::create_directories(directory);
    auto const file = (directory / "sleeps.json").string();

    fmt::print("\nMeasured: nodes run at once, each a process whose test cases sleep the set's "
               "durations;\nmakespan = the slowest node's wall time. Measured R* uses the same "
               "bound as predicted.\n");
    fmt::print("{:<24}{:>8} |", "set", "bound");
    for (auto method : {Method::round_robin, Method::contiguous, Method::duration}) {
        fmt::print(" {:^30} |", name_of(method));
    }
    fmt::print("\n{:<24}{:>8} |", "", "s");
    for (int i = 0; i < 3; ++i) fmt::print(" {:>9} {:>9} {:>10} |", "makespan", "R* meas", "R* pred");
    fmt::print("\n");
    double slept = 0;
    for (auto const& config : configs) {
        std::mt19937_64 rng(config.count * 7919u + config.nodes);
        auto seconds = generate(config.shape, config.count, rng);
        auto const scale = config.total / std::accumulate(seconds.begin(), seconds.end(), 0.0);
        for (auto& s : seconds) s = std::round(s * scale * 1e4) / 1e4;
        shardtap::write_durations(file, durations_for(seconds));
        auto const bound = lower_bound(seconds, config.nodes);
        fmt::print("{:<24}{:>8.3f} |",
                   fmt::format("{} n={} N={}", name_of(config.shape), config.count, config.nodes),
                   bound);
        for (auto method : {Method::round_robin, Method::contiguous, Method::duration}) {
            std::vector<std::vector<std::string>> commands, environments;
            for (std::size_t node = 0; node < config.nodes; ++node) {
                auto environment = base_environment();
                environment.push_back("SPLIT_QUALITY_SLEEPS=" + file);
                if (method == Method::contiguous) {
                    commands.push_back({sleeper_plain, "--shard-count", std::to_string(config.nodes),
                                        "--shard-index", std::to_string(node)});
                } else {
                    commands.push_back({sleeper});
                    environment.push_back(fmt::format("SHARDTAP_NODE_TOTAL={}", config.nodes));
                    environment.push_back(fmt::format("SHARDTAP_NODE_INDEX={}", node));
                    if (method == Method::duration) {
                        environment.push_back("SHARDTAP_DURATIONS=" + file);
                    }
                }
                environments.push_back(environment);
            }
            auto const makespan = run_nodes(commands, environments);
            slept += std::accumulate(seconds.begin(), seconds.end(), 0.0);
            auto const predicted =
                predicted_r_star(seconds, node_of(method, seconds, config.nodes, rng), config.nodes);
            fmt::print(" {:>9.3f} {:>9.3f} {:>10.3f} |", makespan, makespan / bound, predicted);
            std::fflush(stdout);
        }
        fmt::print("\n");
    }
    std::filesystem::remove_all(directory);
    fmt::print("Total sleep across all nodes: {:.1f} s\n", slept);
}

}  // namespace

int main(int argc, char** argv) {
    auto const here = std::filesystem::canonical("/proc/self/exe").parent_path();
    std::string sleeper = (here / "split_quality_sleeper").string();
    std::string sleeper_plain = (here / "split_quality_sleeper_plain").string();
    bool predicted_only = false;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg == "--predicted-only") {
            predicted_only = true;
        } else if (arg == "--sleeper" && i + 1 < argc) {
            sleeper = argv[++i];
        } else if (arg == "--sleeper-plain" && i + 1 < argc) {
            sleeper_plain = argv[++i];
        } else {
            fmt::print(stderr, "usage: {} [--predicted-only] [--sleeper PATH --sleeper-plain PATH]\n",
                       argv[0]);
            return 2;
        }
    }
    predict();
    if (!predicted_only) measure(sleeper, sleeper_plain);
    return 0;
}
