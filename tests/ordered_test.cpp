// core/ordered: every chunk read is written once, in order, whatever the threads and the slots;
// the chunks in flight stay within the bound; an exception from any stage leaves run_ordered and
// nothing after it is written; two threads really score two chunks at once.
#include "core/ordered.h"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

namespace subsidy {
namespace {

struct Chunk {
  int seq = -1;
  std::vector<int> values;
  int sum = 0;
};

// A source of `chunks` chunks of 1..7 values each, with a record of what was written.
struct Source {
  int chunks = 0;
  int next = 0;
  std::atomic<int> alive{0}, most_alive{0};
  std::vector<int> written;  // written by `write` only, without a lock of its own
  std::vector<int> sums;

  OrderedStages<Chunk> stages(unsigned threads, unsigned seed) {
    OrderedStages<Chunk> s;
    s.read = [this](Chunk& c) {
      if (next == chunks) return false;
      c.seq = next++;
      c.values.assign(1 + c.seq % 7, c.seq);
      int now = ++alive;
      for (int m = most_alive; now > m && !most_alive.compare_exchange_weak(m, now);) {
      }
      return true;
    };
    s.score = [threads, seed](Chunk& c, unsigned worker) {
      EXPECT_LT(worker, threads);
      std::minstd_rand random(seed + static_cast<unsigned>(c.seq));
      if (random() % 4 == 0) std::this_thread::sleep_for(std::chrono::microseconds(random() % 300));
      c.sum = 0;
      for (int v : c.values) c.sum += v;
    };
    s.write = [this](Chunk& c) {
      written.push_back(c.seq);
      sums.push_back(c.sum);
      --alive;
    };
    return s;
  }
};

TEST(Ordered, EveryChunkIsWrittenOnceInTheOrderRead) {
  for (unsigned threads : {1u, 2u, 3u, 8u}) {
    for (std::size_t in_flight : {std::size_t{1}, std::size_t{2}, std::size_t{5}}) {
      for (int chunks : {0, 1, 2, 40, 300}) {
        Source run;
        run.chunks = chunks;
        run_ordered(threads, in_flight, run.stages(threads, 7u * threads + chunks));
        ASSERT_EQ(run.written.size(), static_cast<std::size_t>(chunks))
            << threads << " threads, " << in_flight << " in flight";
        for (int i = 0; i < chunks; ++i) {
          ASSERT_EQ(run.written[i], i) << threads << " threads, " << in_flight << " in flight";
          ASSERT_EQ(run.sums[i], i * (1 + i % 7));
        }
        EXPECT_LE(run.most_alive.load(), static_cast<int>(in_flight));
        EXPECT_EQ(run.alive.load(), 0);
      }
    }
  }
}

TEST(Ordered, TheCallingThreadIsWorkerZero) {
  const std::thread::id caller = std::this_thread::get_id();
  int n = 0;
  OrderedStages<Chunk> s;
  s.read = [&](Chunk& c) {
    c.seq = n;
    return n++ < 50;
  };
  s.score = [&](Chunk&, unsigned worker) {
    if (worker == 0) {
      EXPECT_EQ(std::this_thread::get_id(), caller);
    } else {
      EXPECT_NE(std::this_thread::get_id(), caller);
    }
  };
  s.write = [](Chunk&) {};
  run_ordered(3, 6, s);
}

TEST(Ordered, TwoThreadsScoreTwoChunksAtOnce) {
  // Chunk 0's scoring waits until chunk 1's has begun: only a second thread scoring at the same
  // time lets it finish (in bounded time, so a pipeline that serialises fails rather than hangs).
  std::atomic<bool> second_started{false};
  std::atomic<bool> overlapped{false};
  int n = 0;
  OrderedStages<Chunk> s;
  s.read = [&](Chunk& c) {
    c.seq = n;
    return n++ < 2;
  };
  s.score = [&](Chunk& c, unsigned) {
    if (c.seq == 1) second_started = true;
    if (c.seq != 0) return;
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!second_started && std::chrono::steady_clock::now() < until) std::this_thread::yield();
    overlapped = second_started.load();
  };
  s.write = [](Chunk&) {};
  run_ordered(2, 4, s);
  EXPECT_TRUE(overlapped);
}

// A chunk's storage is used by one thread only (it stays in that core's caches): every chunk
// object a thread scores is one that no other thread scores.
TEST(Ordered, AChunkIsUsedByOneThreadOnly) {
  for (unsigned threads : {2u, 3u}) {
    Source run;
    run.chunks = 400;
    OrderedStages<Chunk> s = run.stages(threads, 11u);
    std::mutex mutex;
    std::map<const Chunk*, std::set<unsigned>> users;
    auto score = s.score;
    s.score = [&](Chunk& c, unsigned worker) {
      score(c, worker);
      std::lock_guard<std::mutex> lock(mutex);
      users[&c].insert(worker);
    };
    run_ordered(threads, 3 * threads, s);
    ASSERT_EQ(run.written.size(), 400u);
    std::set<unsigned> workers;
    for (const auto& [chunk, who] : users) {
      EXPECT_EQ(who.size(), 1u) << threads << " threads";
      workers.insert(who.begin(), who.end());
    }
    EXPECT_GT(workers.size(), 1u) << "the threads shared the work";
  }
}

// The governor: one thread fewer after two windows in a row in which the threads waited,
// runnable, for more than 0.3 of a core's time and ran for less than one thread fewer could plus
// 0.15 of a core (one window once a thread has been stopped); after kProbeWindows quiet windows,
// one more again, for a window; a try that fails doubles the quiet windows before the next (up to
// kMaxProbeWindows), one that holds brings them back to kProbeWindows; never fewer than one nor
// more than the threads.
TEST(ThreadGovernorTest, StopsAThreadTheMachineDoesNotGiveACoreAndTriesItAgain) {
  constexpr std::uint64_t kWall = 50'000'000;
  constexpr std::uint64_t kOne = kWall;                 // ran: one core's time
  constexpr std::uint64_t kEnough = kWall * 115 / 100;  // one core and 0.15 of another
  constexpr CoreTime kShort = {kOne, kWall * 2 / 3};    // a busy core beside: short of cores
  constexpr unsigned kTen = ThreadGovernor::kProbeWindows;
  constexpr unsigned kMax = ThreadGovernor::kMaxProbeWindows;
  static_assert(kTen == 10 && kMax == 80);
  using State = ThreadGovernor::State;
  struct Case {
    unsigned working, threads;
    CoreTime time;  // in the window of kWall
    State before;
    unsigned expected;
    State after;
  };
  const Case cases[] = {
      {2, 2, {2 * kWall, 0}, {0, 0, false}, 2, {0, 0, false}},          // their cores: both work
      {2, 2, {kOne, kWall * 3 / 10}, {0, 0, false}, 2, {0, 0, false}},  // waited 0.3: not more
      {2, 2, {kOne, kWall * 3 / 10 + 1}, {3, 0, false}, 2, {3, 1, false}},  // just over: a burst?
      {2, 2, {kOne, kWall * 3 / 10 + 1}, {3, 1, false}, 1, {0, 0, true}},   // twice: one stops
      {2, 2, {2 * kWall, 0}, {3, 1, false}, 2, {3, 0, false}},  // a burst, then their cores
      {2, 2, kShort, {0, 1, false}, 1, {0, 0, true}},           // a busy core beside
      {2, 2, kShort, {5, 0, true}, 1, {0, 0, true}},            // stopped before: one window
      // Waiting, but given more than one core between them: two still do more than one could.
      {2, 2, {kEnough, kWall * 2 / 3}, {0, 1, false}, 2, {0, 0, false}},
      {2, 2, {kEnough, kWall * 2 / 3}, {5, 0, true}, 2, {5, 0, true}},
      {2, 2, {kEnough - 1, kWall * 2 / 3}, {5, 0, true}, 1, {0, 0, true}},
      {1, 2, {kOne, 0}, {0, 0, true}, 1, {1, 0, true}},  // one working: count the quiet
      {1, 2, {kOne, 0}, {8, 0, true}, 1, {9, 0, true}},
      {1, 2, {kOne, 0}, {9, 0, true}, 2, {0, 0, true, true}},   // the tenth: try two again
      {1, 2, {0, kWall}, {9, 0, true}, 2, {0, 1, true, true}},  // however long one waits: the last
      {1, 1, {kOne, 0}, {20, 0, false}, 1, {20, 0, false}},     // one thread: never more
      {3, 3, {2 * kWall, kWall}, {0, 1, false}, 2, {0, 0, true}},  // three threads on two cores
      {2, 3, {2 * kWall, 0}, {0, 0, true}, 2, {1, 0, true}},
      // Two of three working, waiting, running more than one of them could alone: both go on.
      {2, 3, {kEnough, kWall * 2 / 3}, {0, 0, true}, 2, {1, 0, true}},
      // A try that fails (its window short of cores): twice the quiet windows before the next.
      {2, 2, kShort, {0, 0, true, true, kTen}, 1, {0, 0, true, false, 2 * kTen}},
      {2, 2, kShort, {0, 0, true, true, 4 * kTen}, 1, {0, 0, true, false, 8 * kTen}},
      {2, 2, kShort, {0, 0, true, true, kMax / 2 + 1}, 1, {0, 0, true, false, kMax}},
      {2, 2, kShort, {0, 0, true, true, kMax}, 1, {0, 0, true, false, kMax}},  // no longer
      {3, 3, kShort, {0, 0, true, true, kTen}, 2, {0, 0, true, false, 2 * kTen}},
      // The next try waits that long, not kProbeWindows.
      {1, 2, {kOne, 0}, {9, 0, true, false, 2 * kTen}, 1, {10, 0, true, false, 2 * kTen}},
      {1, 2, {kOne, 0}, {19, 0, true, false, 2 * kTen}, 2, {0, 0, true, true, 2 * kTen}},
      // A try that holds: back to kProbeWindows for the next change.
      {2, 2, {2 * kWall, 0}, {0, 0, true, true, 8 * kTen}, 2, {0, 0, true, false, kTen}},
      {2, 3, {2 * kWall, 0}, {0, 0, true, true, 8 * kTen}, 2, {1, 0, true, false, kTen}},
      // A stop that follows no try (the machine changed after a while): the interval as it is.
      {2, 2, kShort, {7, 0, true, false, 4 * kTen}, 1, {0, 0, true, false, 4 * kTen}},
  };
  for (const Case& c : cases) {
    State state = c.before;
    EXPECT_EQ(ThreadGovernor::next(c.working, c.threads, c.time, kWall, state), c.expected)
        << c.working << "/" << c.threads << " ran " << c.time.ran_ns << " waited "
        << c.time.waited_ns;
    EXPECT_EQ(state.quiet, c.after.quiet) << c.working << "/" << c.threads << " ran "
                                          << c.time.ran_ns << " waited " << c.time.waited_ns;
    EXPECT_EQ(state.short_windows, c.after.short_windows) << c.working << "/" << c.threads;
    EXPECT_EQ(state.stopped, c.after.stopped) << c.working << "/" << c.threads;
    EXPECT_EQ(state.trying, c.after.trying) << c.working << "/" << c.threads;
    EXPECT_EQ(state.probe_after, c.after.probe_after) << c.working << "/" << c.threads;
  }
}

// 400 chunks on 2 threads, each taking 1 ms to score, on a machine whose threads' time on and
// waiting for a core is `core_time` (of the time since the run started, and of the thread ids):
// how many chunks each thread scored. Every chunk is still written once, in order.
std::array<int, 2> chunks_scored(
    const std::function<CoreTime(std::int64_t wall_ns, const std::vector<int>&)>& core_time) {
  Source run;
  run.chunks = 400;
  OrderedStages<Chunk> s = run.stages(2, 5u);
  auto start = std::chrono::steady_clock::now();
  s.core_time = [&](const std::vector<int>& tids) {
    return core_time(std::chrono::duration_cast<std::chrono::nanoseconds>(
                         std::chrono::steady_clock::now() - start)
                         .count(),
                     tids);
  };
  std::atomic<int> scored[2] = {0, 0};
  s.score = [&](Chunk& c, unsigned worker) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    c.sum = 0;
    for (int v : c.values) c.sum += v;
    ++scored[worker];
  };
  run_ordered(2, 6, s);
  EXPECT_EQ(run.written.size(), 400u);
  for (std::size_t i = 0; i < run.written.size(); ++i)
    EXPECT_EQ(run.written[i], static_cast<int>(i));
  return {scored[0].load(), scored[1].load()};
}

// On a machine that does not give the second thread a core (the threads wait half of each
// window and run one core's time between them), it stops taking chunks after the second window
// and is tried again for a window after ten, twenty, forty …: it scores far fewer chunks than
// the first.
TEST(Ordered, AThreadWithoutACoreStopsTakingChunks) {
  for (bool short_of_a_core : {true, false}) {
    auto [first, second] = chunks_scored([&](std::int64_t wall, const std::vector<int>&) {
      auto w = static_cast<std::uint64_t>(wall);
      return short_of_a_core ? CoreTime{w, w / 2} : CoreTime{2 * w, 0};
    });
    if (short_of_a_core) {
      EXPECT_LT(second * 3, first) << first << " vs " << second;
    } else {
      EXPECT_GT(second * 3, first) << first << " vs " << second;
    }
  }
}

// A burst of waiting in the first window only (the kernel's own work, another short process)
// does not stop a thread: the second thread scores its share.
TEST(Ordered, ABurstOfWaitingDoesNotStopAThread) {
  auto [first, second] = chunks_scored([](std::int64_t wall, const std::vector<int>&) {
    auto w = static_cast<std::uint64_t>(wall);
    return CoreTime{w, static_cast<std::uint64_t>(std::min<std::int64_t>(wall, 60'000'000) / 2)};
  });
  EXPECT_GT(second * 3, first) << first << " vs " << second;
}

// The wait counted is the pipeline's own: the calling thread may have waited for a core long
// before (while the rules were loaded beside other threads), and that is no sign that the
// machine does not give the pipeline two cores. (Counted, the first window parked the second
// thread of one 2-thread batch in four: 0.29 s instead of 0.20 s for 100k profiles.)
TEST(Ordered, AWaitBeforeThePipelineStartsDoesNotStopAThread) {
  const int caller = this_thread_id();
  auto [first, second] = chunks_scored([&](std::int64_t, const std::vector<int>& tids) {
    CoreTime t;  // no time on a core: only the wait can keep the second thread working
    for (int tid : tids) {
      if (tid == caller) t.waited_ns = 1'000'000'000;
    }
    return t;
  });
  EXPECT_GT(second * 3, first) << first << " vs " << second;
}

// Nor is the time it ran before: a caller that ran long (loading rules) and then, with the second
// thread, gets one core between them for the first two windows is short of cores in both, and
// the second thread stops (and is not tried again before the end). Counted, the caller's earlier
// time would make the first window look like more than one core.
TEST(Ordered, TimeRunBeforeThePipelineStartsIsNotCounted) {
  const int caller = this_thread_id();
  constexpr std::uint64_t kShort = 110'000'000;  // two windows and a little
  auto [first, second] = chunks_scored([&](std::int64_t wall, const std::vector<int>& tids) {
    auto w = static_cast<std::uint64_t>(wall);
    CoreTime t;
    for (int tid : tids) {
      if (tid != caller) continue;
      t.ran_ns = 5'000'000'000 + (w < kShort ? w : kShort + 2 * (w - kShort));
      t.waited_ns = std::min(w, kShort) / 2;
    }
    return t;
  });
  EXPECT_LT(second * 2, first) << first << " vs " << second;
}

// The threads' time on and waiting for a core is read from the kernel: a thread of this process
// has figures, the time it ran grows as it works and neither falls; a thread not started (id 0)
// counts nothing.
TEST(ThreadGovernorTest, CoreTimeIsReadForThisProcesssThreads) {
  std::vector<int> me = {this_thread_id()};
  EXPECT_GT(me[0], 0);
  CoreTime a = core_time(me);
  // The kernel brings a running thread's figure up to date at a timer tick or a switch: work
  // until it grows, for at most a second.
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  CoreTime b = a;
  while (b.ran_ns <= a.ran_ns && std::chrono::steady_clock::now() < until) b = core_time(me);
  EXPECT_GT(b.ran_ns, a.ran_ns);
  EXPECT_GE(b.waited_ns, a.waited_ns);
  for (int none : {0, -7}) {  // not started, no such thread: nothing read, nothing counted
    CoreTime t = core_time({none});
    EXPECT_EQ(t.ran_ns, 0u);
    EXPECT_EQ(t.waited_ns, 0u);
  }
}

enum class Stage { Read, Score, Write };

TEST(Ordered, AnExceptionFromAnyStageLeavesAndNothingAfterItIsWritten) {
  for (Stage stage : {Stage::Read, Stage::Score, Stage::Write}) {
    for (unsigned threads : {1u, 2u, 4u}) {
      constexpr int kFailing = 23;
      std::atomic<int> next{0};
      std::vector<int> written;
      OrderedStages<Chunk> s;
      s.read = [&](Chunk& c) {
        c.seq = next++;
        if (stage == Stage::Read && c.seq == kFailing) throw std::runtime_error("read");
        return c.seq < 200;
      };
      s.score = [&](Chunk& c, unsigned) {
        if (stage == Stage::Score && c.seq == kFailing) throw std::runtime_error("score");
      };
      s.write = [&](Chunk& c) {
        if (stage == Stage::Write && c.seq == kFailing) throw std::runtime_error("write");
        written.push_back(c.seq);
      };
      EXPECT_THROW(run_ordered(threads, 3, s), std::runtime_error);
      ASSERT_LE(written.size(), static_cast<std::size_t>(kFailing));
      for (std::size_t i = 0; i < written.size(); ++i) ASSERT_EQ(written[i], static_cast<int>(i));
      if (stage == Stage::Write) {
        EXPECT_EQ(written.size(), static_cast<std::size_t>(kFailing));
      }
    }
  }
}

}  // namespace
}  // namespace subsidy
