#pragma once
// Texts kept for as long as the arena lives, in blocks that never move: a view of one stays
// valid while more are added. One allocation per block, not one per text.

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace shardtap {

class TextArena {
public:
    static constexpr std::size_t block_size = 16 * 1024;

    // A copy of `text` that lives as long as the arena.
    std::string_view keep(std::string_view text) {
        if (text.size() > m_room) {
            std::size_t const size = text.size() > block_size ? text.size() : block_size;
            m_blocks.push_back(std::make_unique<char[]>(size));
            m_next = m_blocks.back().get();
            m_room = size;
        }
        char* const copy = m_next;
        text.copy(copy, text.size());
        m_next += text.size();
        m_room -= text.size();
        return {copy, text.size()};
    }

private:
    std::vector<std::unique_ptr<char[]>> m_blocks;
    char* m_next = nullptr;
    std::size_t m_room = 0;
};

}  // namespace shardtap
