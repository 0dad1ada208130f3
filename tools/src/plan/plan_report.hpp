#pragma once
// The page `shardtap plan --html FILE` writes: the predicted wall time and the billed
// node-seconds against the node count, the choice, and the table. Pure: the plan in, one
// self-contained HTML document out (html_page.hpp).

#include "plan/plan.hpp"

#include <string>

namespace shardtap::tools {

std::string plan_html(PlanTable const& table);

}  // namespace shardtap::tools
