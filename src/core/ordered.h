// An ordered parallel pipeline: chunks are read in turn, scored on any thread, and written in the
// order they were read. Every thread does every stage — there is no controlling thread waiting on
// the others — so `threads` threads keep `threads` cores busy: a thread that finishes a chunk
// writes whatever is next in order and ready, else reads the next chunk and scores it. A batch on
// two cores therefore runs two threads, not two scorers beside a reading and writing third, and
// no thread waits at a barrier for the slowest of a chunk.
//
// Contracts:
// - `read(chunk)` fills a chunk (reused from an earlier one: its capacity is kept) and returns
//   false when the input has nothing left; it is called by one thread at a time, in order.
// - `score(chunk, worker)` runs concurrently for different chunks; `worker` (0 ≤ worker <
//   threads) is the calling thread's own number, for state kept per thread.
// - `write(chunk)` is called by one thread at a time, for every chunk read, in the order read.
//   Each call happens after the previous one (the calls are ordered by a mutex), so a writer's
//   state needs no lock of its own.
// - At most `in_flight` chunks (≥ 1) exist at once: memory is bounded whatever the input's length.
// - An exception thrown by any stage stops every thread (each finishes the stage it is in) and
//   leaves run_ordered on the calling thread, the first one thrown winning. No chunk is written
//   after it. A thread that cannot be started is such an exception.
// - The calling thread is worker 0; with threads == 1 everything runs on it, in turn.

#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace subsidy {

template <class Chunk>
struct OrderedStages {
  std::function<bool(Chunk&)> read;
  std::function<void(Chunk&, unsigned worker)> score;
  std::function<void(Chunk&)> write;
};

template <class Chunk>
class OrderedPipeline {
 public:
  OrderedPipeline(const OrderedStages<Chunk>& stages, std::size_t in_flight)
      : stages_(stages), slots_(in_flight ? in_flight : 1) {}

  void run(unsigned threads) {
    std::vector<std::thread> helpers;
    try {
      for (unsigned t = 1; t < threads; ++t) helpers.emplace_back(&OrderedPipeline::work, this, t);
    } catch (...) {
      fail(std::current_exception());
    }
    work(0);
    for (std::thread& t : helpers) t.join();
    if (failure_) std::rethrow_exception(failure_);
  }

 private:
  enum class State { Free, Scoring, Scored };
  struct Slot {
    Chunk chunk;
    State state = State::Free;
  };

  Slot& slot(std::uint64_t seq) { return slots_[seq % slots_.size()]; }

  // One thread's loop: write what is next in order if it is ready, else read and score a chunk,
  // else wait for another thread's progress. Writing comes first: it frees a slot.
  void work(unsigned worker) {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!failure_) {
      if (!writing_ && written_ < read_ && slot(written_).state == State::Scored) {
        write_next(lock);
      } else if (!reading_ && !input_done_ && read_ - written_ < slots_.size()) {
        read_and_score(lock, worker);
      } else if (input_done_ && !reading_ && written_ == read_) {
        break;
      } else {
        changed_.wait(lock);
      }
    }
    changed_.notify_all();
  }

  void write_next(std::unique_lock<std::mutex>& lock) {
    writing_ = true;
    Slot& s = slot(written_);
    if (!stage(lock, [&] { stages_.write(s.chunk); })) return;
    writing_ = false;
    s.state = State::Free;
    ++written_;
    changed_.notify_all();
  }

  void read_and_score(std::unique_lock<std::mutex>& lock, unsigned worker) {
    reading_ = true;
    Slot& s = slot(read_);
    bool more = false;
    if (!stage(lock, [&] { more = stages_.read(s.chunk); })) return;
    reading_ = false;
    if (!more) {
      input_done_ = true;
      changed_.notify_all();
      return;
    }
    ++read_;
    s.state = State::Scoring;
    changed_.notify_all();  // another thread may read the next chunk meanwhile
    if (!stage(lock, [&] { stages_.score(s.chunk, worker); })) return;
    s.state = State::Scored;
    changed_.notify_all();
  }

  // Runs `fn` without the lock; false when it threw (the failure is recorded).
  template <class Fn>
  bool stage(std::unique_lock<std::mutex>& lock, Fn&& fn) {
    lock.unlock();
    try {
      fn();
    } catch (...) {
      lock.lock();
      if (!failure_) failure_ = std::current_exception();
      return false;
    }
    lock.lock();
    return true;
  }

  void fail(std::exception_ptr e) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!failure_) failure_ = e;
  }

  const OrderedStages<Chunk>& stages_;
  std::vector<Slot> slots_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::uint64_t read_ = 0, written_ = 0;  // chunks read so far, and written
  bool reading_ = false, writing_ = false, input_done_ = false;
  std::exception_ptr failure_;
};

// Runs the three stages over the whole input on `threads` threads (the caller's included).
template <class Chunk>
void run_ordered(unsigned threads, std::size_t in_flight, const OrderedStages<Chunk>& stages) {
  OrderedPipeline<Chunk>(stages, in_flight).run(threads < 1 ? 1 : threads);
}

}  // namespace subsidy
