// ChunkArena: a bump allocator for memory freed all at once (a step batch's keys, values
// and map nodes). std::pmr::monotonic_buffer_resource doubles its chunks, and a bulk step's
// reached tens of MiB, each above malloc's mmap threshold: mapped fresh while the heap held
// the rows the statement had just freed. Chunks of one size come from the heap and reuse
// them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory_resource>
#include <new>
#include <vector>

namespace storage {

class ChunkArena final : public std::pmr::memory_resource {
 public:
  static constexpr size_t kChunkBytes = 256 << 10;

  ChunkArena() = default;
  ChunkArena(const ChunkArena&) = delete;
  ChunkArena& operator=(const ChunkArena&) = delete;
  ~ChunkArena() override { release(); }

  // Frees everything allocated.
  void release() {
    for (void* chunk : chunks_) ::operator delete(chunk);
    chunks_.clear();
    next_ = end_ = 0;
  }

 private:
  void* do_allocate(size_t bytes, size_t alignment) override {
    uintptr_t at = (next_ + alignment - 1) & ~(uintptr_t{alignment} - 1);
    if (next_ == 0 || at + bytes > end_) {
      // A request of more than a quarter chunk gets a block of its own, so that a chunk
      // is never mostly wasted.
      const size_t size = bytes + alignment > kChunkBytes / 4 ? bytes + alignment : kChunkBytes;
      void* chunk = ::operator new(size);
      chunks_.push_back(chunk);
      const uintptr_t begin = reinterpret_cast<uintptr_t>(chunk);
      at = (begin + alignment - 1) & ~(uintptr_t{alignment} - 1);
      if (size != kChunkBytes) return reinterpret_cast<void*>(at);
      end_ = begin + size;
    }
    next_ = at + bytes;
    return reinterpret_cast<void*>(at);
  }
  void do_deallocate(void*, size_t, size_t) override {}  // freed by release()
  bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override {
    return this == &other;
  }

  std::vector<void*> chunks_;
  uintptr_t next_ = 0;  // the current chunk's free bytes: [next_, end_)
  uintptr_t end_ = 0;
};

}  // namespace storage
