#include "core/direct_writer.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <new>
#include <system_error>

namespace subsidy {

namespace {

// Sets or clears O_DIRECT on `fd`; false when the system refuses.
bool set_direct(int fd, bool on) {
  int flags = ::fcntl(fd, F_GETFL);
  return flags >= 0 && ::fcntl(fd, F_SETFL, on ? flags | O_DIRECT : flags & ~O_DIRECT) == 0;
}

}  // namespace

std::unique_ptr<DirectWriter> DirectWriter::start(int fd) {
  std::unique_ptr<DirectWriter> writer(new DirectWriter(fd));
  // Blocks come back to spare_ on the background thread, which must not allocate (nor throw):
  // there are never more than the queue, the one being written and the one being filled.
  writer->spare_.reserve(kInFlight + 2);
  if (!set_direct(fd, true)) return nullptr;
  try {
    writer->thread_ = std::thread([w = writer.get()] { w->run(); });
  } catch (const std::system_error&) {  // no thread (a process limit): written as before
    set_direct(fd, false);
    return nullptr;
  }
  return writer;
}

DirectWriter::~DirectWriter() {
  stop();
}

DirectWriter::Block DirectWriter::take_block() {
  {
    std::lock_guard lock(mutex_);
    if (!spare_.empty()) {
      Block block = std::move(spare_.back());
      spare_.pop_back();
      return block;
    }
  }
  // Aligned to its own size (2 MiB, a multiple of the 512 or 4096 bytes direct I/O asks of
  // memory, offsets and lengths), so that it can be one huge page: the kernel then pins one page
  // for each write instead of 512 (2 threads to a file: x1.10 wall, 11 alternating pairs).
  void* memory = std::aligned_alloc(kBlock, kBlock);
  if (memory == nullptr) throw std::bad_alloc();
  ::madvise(memory, kBlock, MADV_HUGEPAGE);  // advice: ignored where huge pages are off
  return Block(static_cast<char*>(memory));
}

int DirectWriter::write(std::string_view data) {
  while (!data.empty()) {
    // After a failure nothing more is copied: the caller gives up, and the file is removed.
    if (int err = error_.load(std::memory_order_relaxed)) return err;
    if (!current_) current_ = take_block();
    std::size_t n = std::min(data.size(), kBlock - used_);
    std::memcpy(current_.get() + used_, data.data(), n);
    used_ += n;
    data.remove_prefix(n);
    if (used_ == kBlock) hand_over();
  }
  return error_.load(std::memory_order_relaxed);
}

void DirectWriter::hand_over() {
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return full_.size() < kInFlight || error_ != 0; });
    // After a failure the block is not written: it goes back, so the blocks stay as many.
    if (error_ != 0) {
      spare_.push_back(std::move(current_));
    } else {
      full_.push_back(std::move(current_));
    }
  }
  used_ = 0;
  changed_.notify_all();
}

void DirectWriter::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return !full_.empty() || stopping_; });
    if (stopping_) return;
    Block block = std::move(full_.front());
    full_.pop_front();
    ++writing_;
    bool failed = error_ != 0;  // after a failure the rest is dropped: the file is removed
    lock.unlock();
    int err = failed ? 0 : put(block.get(), kBlock);
    lock.lock();
    --writing_;
    if (error_ == 0) error_.store(err, std::memory_order_relaxed);
    spare_.push_back(std::move(block));
    changed_.notify_all();
  }
}

int DirectWriter::put(const char* data, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd_, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = n < 0 ? errno : EIO;
      if (!direct_) return err;
      // Refused with O_DIRECT: an alignment this file system asks for, or a short write at a
      // size limit that left the rest unaligned. The page cache takes the rest, and its answer
      // (a full disk, the file size limit) is final.
      direct_ = false;
      if (!set_direct(fd_, false)) return err;
      continue;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return 0;
}

int DirectWriter::finish() {
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return (full_.empty() && writing_ == 0) || error_ != 0; });
  }
  int err = stop();
  if (err != 0 || used_ == 0) return err;
  // The last block is partial, and direct I/O writes whole blocks: it goes through the page cache.
  if (direct_ && set_direct(fd_, false)) direct_ = false;
  err = put(current_.get(), used_);
  used_ = 0;
  return err;
}

int DirectWriter::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
  return error_;
}

}  // namespace subsidy
