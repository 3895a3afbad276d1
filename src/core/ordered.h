// An ordered parallel pipeline: chunks are read in turn, scored on any thread, and written in the
// order they were read. Every thread does every stage — there is no controlling thread waiting on
// the others — so `threads` threads keep `threads` cores busy: a thread that finishes a chunk
// writes what is next in order if it is ready and its own, else reads the next chunk and scores
// it (and writes another's chunk only when it may not read). A batch on two cores therefore runs
// two threads, not two scorers beside a reading and writing third, and no thread waits at a
// barrier for the slowest of a chunk.
//
// Contracts:
// - `read(chunk)` fills a chunk (reused from an earlier one: its capacity is kept) and returns
//   false when the input has nothing left; it is called by one thread at a time, in order.
// - `score(chunk, worker)` runs concurrently for different chunks; `worker` (0 ≤ worker <
//   threads) is the calling thread's own number, for state kept per thread.
// - `write(chunk)` is called by one thread at a time, for every chunk read, in the order read.
//   Each call happens after the previous one (the calls are ordered by a mutex), so a writer's
//   state needs no lock of its own.
// - At most `in_flight` chunks (≥ 1) are in flight (read, not yet written) at once, and each
//   worker keeps at most `in_flight` chunks for reuse: memory is bounded whatever the input's
//   length.
// - A chunk is read into, scored and, unless its thread is busy while another has nothing else
//   to do, written by the same thread, and is reused only by it: its memory stays in that core's
//   caches. (Chunks shared by all threads moved between the cores on every use: a 2-thread batch
//   used 8% more CPU time for the same work, medians of 9 interleaved runs.)
// - An exception thrown by any stage stops every thread (each finishes the stage it is in) and
//   leaves run_ordered on the calling thread, the first one thrown winning. No chunk is written
//   after it. A thread that cannot be started is such an exception.
// - The calling thread is worker 0; with threads == 1 everything runs on it, in turn.
// - With more threads, worker 0 checks every 50 ms how long its threads ran and waited, runnable,
//   for a core (ThreadGovernor): when the machine does not give them their cores (another process
//   holds one), the highest-numbered working thread stops taking chunks until a later window
//   tries it again. Worker 0 always works, so the pipeline always finishes.

#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace subsidy {

// Time a set of threads spent on a core, and runnable but waiting for one, in nanoseconds.
struct CoreTime {
  std::uint64_t ran_ns = 0;
  std::uint64_t waited_ns = 0;
};

template <class Chunk>
struct OrderedStages {
  std::function<bool(Chunk&)> read;
  std::function<void(Chunk&, unsigned worker)> score;
  std::function<void(Chunk&)> write;
  // How long the given threads (by their Linux thread ids) have run and waited, runnable, for a
  // core so far, for ThreadGovernor; empty: core_time. Tests give their own to play a machine
  // that gives the threads their cores or not.
  std::function<CoreTime(const std::vector<int>& tids)> core_time;
};

// How many of a pipeline's threads take new chunks. Beside another process that holds a core,
// three threads share two cores, and what the pipeline's two get between them depends on the
// scheduler: about one core when the busy process is in another session (autogroups weigh each
// session alike, and both threads end up on one core), up to 3/2 of a core when it shares their
// session and they sit on different cores. On one core two threads wait on each other's chunks
// and took 5% longer than one thread (100k profiles); given more than one core they took up to
// 13% less. So one thread stops taking chunks when, in a window, the threads waited, runnable but
// not running, for more than 0.3 of a core's time and ran for less than one thread fewer could
// (a core each) plus 0.15 of a core; after kProbeWindows windows without a change, one more is
// tried again, for a window. (Not on CPU time alone: a thread waiting for the disk uses none,
// and parking on CPU time made a 2-thread batch to a file as slow as one thread.) A process that
// holds a core holds it for longer than a window: until a thread has once been stopped, it takes
// two windows in a row to stop one. A burst of the kernel's own work (writeback, discarding a
// deleted file's blocks) filled a first window alone, and a thread stopped for kProbeWindows then
// cost a 2-thread run most of its gain. A try that fails doubles the windows before the next, up
// to kMaxProbeWindows (4 s, so a thread stopped beside a process that has since ended works again
// within 4 s), and one that holds brings them back to kProbeWindows: beside a process that holds
// a core for the whole run each try shares one core between two threads for a window (traced:
// 12% fewer profiles than a window of one thread), and at a fixed interval a 1M-profile batch made
// 8-9 tries in ~92 windows, now 3.
struct ThreadGovernor {
  static constexpr std::uint64_t kWindowNs = 50'000'000;
  static constexpr unsigned kProbeWindows = 10;
  static constexpr unsigned kMaxProbeWindows = 80;
  // What the governor remembers between windows (kept by the caller).
  struct State {
    unsigned quiet = 0;          // windows since the last change
    unsigned short_windows = 0;  // windows in a row in which the threads were short of cores
    bool stopped = false;        // a thread has been stopped before: one such window is enough
    bool trying = false;         // the last change tried one more thread again
    unsigned probe_after = kProbeWindows;  // quiet windows before the next try
  };
  // The threads to work after a window of `wall_ns` in which the threads ran and waited for a
  // core for `in_window` in all, with `working` of the `threads` threads working.
  static unsigned next(unsigned working, unsigned threads, CoreTime in_window,
                       std::uint64_t wall_ns, State& state) {
    bool short_of_cores = in_window.waited_ns * 10 > wall_ns * 3 &&
                          in_window.ran_ns * 100 + wall_ns * 85 < wall_ns * 100 * working;
    state.short_windows = short_of_cores ? state.short_windows + 1 : 0;
    if (working > 1 && short_of_cores) {
      // A first such window may be a burst of other work, not a process holding a core.
      if (!state.stopped && state.short_windows < 2) return working;
      unsigned after =
          state.trying ? std::min(2 * state.probe_after, kMaxProbeWindows) : state.probe_after;
      state = {0, 0, true, false, after};
      return working - 1;
    }
    if (state.trying) {  // the try held
      state.trying = false;
      state.probe_after = kProbeWindows;
    }
    if (working < threads && ++state.quiet >= state.probe_after) {
      state.quiet = 0;
      state.trying = true;
      return working + 1;
    }
    return working;
  }
};

// The time the threads `tids` of this process have spent on a core and runnable but waiting for
// one (the first two fields of /proc/self/task/TID/schedstat); a thread whose figures cannot be
// read counts 0.
CoreTime core_time(const std::vector<int>& tids);

// This thread's Linux thread id.
int this_thread_id();

template <class Chunk>
class OrderedPipeline {
 public:
  OrderedPipeline(const OrderedStages<Chunk>& stages, std::size_t in_flight)
      : stages_(stages),
        core_time_(stages.core_time ? stages.core_time : subsidy::core_time),
        slots_(in_flight ? in_flight : 1) {}

  void run(unsigned threads) {
    spare_.resize(threads);
    threads_ = threads;
    working_ = threads;
    tids_.assign(threads, 0);
    window_start_ = now_ns();
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
  // A position in input order. Its chunk belongs to the worker that read it: each worker reads
  // into, scores and (when it can) writes only its own chunks, so a chunk's memory (rows, records,
  // output text) stays in one core's caches instead of moving between the cores on every use.
  struct Slot {
    Chunk* chunk = nullptr;
    State state = State::Free;
    unsigned owner = 0;
  };

  Slot& slot(std::uint64_t seq) { return slots_[seq % slots_.size()]; }

  // One thread's loop: write what is next in order if it is ready and its own (or the thread has
  // nothing else it may do), else read and score a chunk, else wait for another thread's progress.
  void work(unsigned worker) {
    std::unique_lock<std::mutex> lock(mutex_);
    tids_[worker] = this_thread_id();
    // What this thread ran and waited before it joined (the calling thread: since the process
    // started) is not the pipeline's: the governor counts from here.
    CoreTime before = core_time_({tids_[worker]});
    window_base_.ran_ns += before.ran_ns;
    window_base_.waited_ns += before.waited_ns;
    while (!failure_) {
      if (worker == 0) govern();
      if (worker >= working_ && !input_done_) {
        // Stopped by the governor: it neither reads nor writes (worker 0 writes its chunks once
        // it may not read) and is not woken by every change, only when let work again.
        unparked_.wait(lock);
        continue;
      }
      bool may_read = !input_done_ && read_ - written_ < slots_.size();
      if (!writing_ && written_ < read_ && slot(written_).state == State::Scored &&
          (slot(written_).owner == worker || !may_read)) {
        write_next(lock);
      } else if (!reading_ && may_read) {
        read_and_score(lock, worker);
      } else if (input_done_ && !reading_ && written_ == read_) {
        break;
      } else {
        changed_.wait(lock);
      }
    }
    changed_.notify_all();
    unparked_.notify_all();
  }

  void write_next(std::unique_lock<std::mutex>& lock) {
    writing_ = true;
    Slot& s = slot(written_);
    if (!stage(lock, [&] { stages_.write(*s.chunk); })) return;
    writing_ = false;
    spare_[s.owner].push_back(s.chunk);
    s = Slot{};
    ++written_;
    changed_.notify_all();
  }

  void read_and_score(std::unique_lock<std::mutex>& lock, unsigned worker) {
    reading_ = true;
    Chunk* chunk = take(worker);
    bool more = false;
    if (!stage(lock, [&] { more = stages_.read(*chunk); })) return;
    reading_ = false;
    if (!more) {
      spare_[worker].push_back(chunk);
      input_done_ = true;
      changed_.notify_all();
      unparked_.notify_all();
      return;
    }
    Slot& s = slot(read_++);
    s = Slot{chunk, State::Scoring, worker};
    changed_.notify_all();  // another thread may read the next chunk meanwhile
    if (!stage(lock, [&] { stages_.score(*chunk, worker); })) return;
    s.state = State::Scored;
    changed_.notify_all();
  }

  // Worker 0, between its stages: at the end of each window, how many threads work next.
  void govern() {
    if (threads_ < 2) return;
    std::uint64_t now = now_ns();
    if (now - window_start_ < ThreadGovernor::kWindowNs) return;
    CoreTime total = core_time_(tids_);
    // A thread that has ended reads 0, so the sums can fall (only as the pipeline finishes).
    auto since = [](std::uint64_t to, std::uint64_t from) { return to > from ? to - from : 0; };
    CoreTime in_window{since(total.ran_ns, window_base_.ran_ns),
                       since(total.waited_ns, window_base_.waited_ns)};
    unsigned working =
        ThreadGovernor::next(working_, threads_, in_window, now - window_start_, governor_);
    if (working > working_) unparked_.notify_all();
    working_ = working;
    window_start_ = now;
    window_base_ = total;
  }

  static std::uint64_t now_ns() {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                          std::chrono::steady_clock::now().time_since_epoch())
                                          .count());
  }

  // A chunk of `worker`'s: one it used before (its storage kept), else a new one. A worker owns
  // at most as many chunks as there are slots.
  Chunk* take(unsigned worker) {
    std::vector<Chunk*>& spare = spare_[worker];
    if (spare.empty()) {
      chunks_.push_back(std::make_unique<Chunk>());
      return chunks_.back().get();
    }
    Chunk* c = spare.back();
    spare.pop_back();
    return c;
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
  std::function<CoreTime(const std::vector<int>&)> core_time_;  // OrderedStages::core_time
  std::vector<Slot> slots_;
  unsigned threads_ = 1;
  unsigned working_ = 1;  // workers 0 .. working_ − 1 take new chunks (ThreadGovernor)
  ThreadGovernor::State governor_;
  std::vector<int> tids_;  // each worker's Linux thread id, once it has started
  std::uint64_t window_start_ = 0;
  CoreTime window_base_;                        // the threads' figures at the window's start
  std::vector<std::unique_ptr<Chunk>> chunks_;  // every chunk made (guarded by mutex_)
  std::vector<std::vector<Chunk*>> spare_;      // per worker: its chunks not in flight
  std::mutex mutex_;
  std::condition_variable changed_;
  std::condition_variable unparked_;      // for the workers the governor stopped
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
