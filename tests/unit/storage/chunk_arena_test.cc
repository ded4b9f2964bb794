// ChunkArena: aligned bump allocation in fixed chunks, large requests apart, everything
// freed by release() and usable again after it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory_resource>
#include <random>
#include <string>
#include <vector>

#include "storage/chunk_arena.h"

TEST_CASE("a chunk arena hands out aligned, disjoint blocks of any size") {
  storage::ChunkArena arena;
  std::mt19937 rng(7);
  struct Block {
    char* at;
    size_t size;
    char fill;
  };
  for (int round = 0; round < 2; ++round) {
    std::vector<Block> blocks;
    for (int i = 0; i < 5000; ++i) {
      // Mostly small, now and then more than a quarter chunk or more than a whole one.
      size_t size = 1 + rng() % 200;
      if (i % 500 == 0) size = storage::ChunkArena::kChunkBytes / 4 + rng() % 1000;
      if (i % 1700 == 0) size = storage::ChunkArena::kChunkBytes * 3;
      const size_t alignment = size_t{1} << (rng() % 5);  // 1 .. 16
      char* at = static_cast<char*>(arena.allocate(size, alignment));
      if (reinterpret_cast<uintptr_t>(at) % alignment != 0) FAIL("misaligned block " << i);
      const char fill = static_cast<char>(i);
      std::memset(at, fill, size);
      blocks.push_back({at, size, fill});
    }
    // Nothing written later overlapped an earlier block.
    size_t intact = 0;
    for (const Block& b : blocks) {
      intact += std::all_of(b.at, b.at + b.size, [&](char c) { return c == b.fill; });
    }
    CHECK(intact == blocks.size());
    arena.release();  // and the arena serves again after it
  }
}

TEST_CASE("a chunk arena backs a std::pmr map") {
  storage::ChunkArena arena;
  {
    std::pmr::map<int, std::pmr::string> map(&arena);
    for (int i = 0; i < 20000; ++i) {
      map.emplace(i, std::pmr::string(std::to_string(i) + " and a value long enough to allocate",
                                      &arena));
    }
    CHECK(map.size() == 20000);
    CHECK(map.at(12345) == "12345 and a value long enough to allocate");
  }
  arena.release();
}
