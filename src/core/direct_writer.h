// Writing a large output file past the page cache, in the background. A batch of 100,000
// profiles writes about 290 MB; through the page cache the kernel copies every byte, allocates a
// page for it and books its blocks, on the thread that scores (a quarter of a one-thread run on
// this project's machine). Written with O_DIRECT by a second thread that mostly waits for the
// disk, the scoring thread only fills blocks.
//
// Contracts:
//  - the descriptor is a regular file opened for writing at offset 0 with nothing written yet,
//    owned by the caller, and stays open until the DirectWriter is destroyed; nothing else
//    writes to it meanwhile;
//  - write() and finish() are called from one thread at a time (OutputFile's caller serialises
//    them), and write() never after finish(); the background thread works on the blocks queued
//    and the descriptor (it clears O_DIRECT when it falls back), and finish() touches them only
//    once that thread has stopped;
//  - the content reaches the file in order and whole, or the first failure's errno is returned
//    by every later write() and by finish(), and nothing more is copied: a write that fails with
//    O_DIRECT (refused for its alignment, or cut short by a file size limit at an offset it
//    cannot write) is retried through the page cache, and the rest of the file goes that way;
//    the page cache's answer is final (a full disk, the size limit);
//  - finish() writes the last, partial block through the page cache and waits for everything;
//    the caller still fsyncs. Destroying without finish() waits only for the block being
//    written, not the queue: what was queued may or may not be written (the caller removes the
//    file).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdlib>
#include <deque>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

namespace subsidy {

class DirectWriter {
 public:
  // Bytes per write: a multiple of every logical block size direct I/O asks to align to, and
  // one huge page. (1 MiB blocks took the writing thread twice as many wake-ups, each one
  // taking a core from a scoring thread: 1,100 context switches a 2-thread run against 650.)
  static constexpr std::size_t kBlock = std::size_t{2} << 20;

  // A writer for `fd`, or null when this file cannot take direct I/O (a file system without it,
  // such as some tmpfs) or no thread can be started: the caller then writes as before.
  static std::unique_ptr<DirectWriter> start(int fd);
  ~DirectWriter();
  DirectWriter(const DirectWriter&) = delete;
  DirectWriter& operator=(const DirectWriter&) = delete;

  // Appends `data`; every full block goes to the background thread, waiting while kInFlight are
  // queued. Returns 0, or the errno of the first write that failed so far.
  int write(std::string_view data);
  // Writes the rest and waits until all is written; returns 0 or the first failure's errno.
  int finish();

 private:
  struct Free {
    void operator()(char* p) const { std::free(p); }
  };
  using Block = std::unique_ptr<char, Free>;
  // Blocks queued at most: with the one being written and the one being filled, 10 MiB.
  static constexpr std::size_t kInFlight = 3;

  explicit DirectWriter(int fd) : fd_(fd) {}
  Block take_block();
  void hand_over();
  void run();
  int put(const char* data, std::size_t size);
  int stop();

  int fd_;
  bool direct_ = true;  // O_DIRECT is set on fd_; only the background thread changes it
  Block current_;
  std::size_t used_ = 0;  // bytes of current_ filled

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Block> full_;    // in order, waiting to be written
  std::vector<Block> spare_;  // written, to be filled again
  std::size_t writing_ = 0;   // blocks taken by the thread and not yet returned
  bool stopping_ = false;
  std::atomic<int> error_ = 0;  // the first failure's errno: set under mutex_, read anywhere
  std::thread thread_;
};

}  // namespace subsidy
