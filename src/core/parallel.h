// Runs independent tasks on the machine's cores: loading parses and compiles each rule file on
// its own (they share only the final, read-only vocabulary), so the files of a rule set load side
// by side. `fn(i)` is called once for each i in [0, n), from this thread and from at most
// hardware_concurrency() − 1 others, each started for the call and joined before it returns;
// `fn` must be safe to call concurrently for different i. When no thread can be started, every
// task runs on this thread. An exception escaping `fn` ends the process (std::terminate).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <system_error>
#include <thread>
#include <vector>

namespace subsidy {

template <class Fn>
void parallel_for(std::size_t n, Fn&& fn);

// The same over `order`, a permutation of [0, n) to start the tasks in: the largest first keeps
// one big file from starting last and running alone.
template <class Fn>
void parallel_for(const std::vector<std::size_t>& order, Fn&& fn) {
  parallel_for(order.size(), [&](std::size_t i) { fn(order[i]); });
}

// Positions of `sizes`, the largest first (ties in position order).
inline std::vector<std::size_t> largest_first(const std::vector<std::size_t>& sizes) {
  std::vector<std::size_t> order(sizes.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return sizes[a] > sizes[b]; });
  return order;
}

template <class Fn>
void parallel_for(std::size_t n, Fn&& fn) {
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < n; i = next++) fn(i);
  };
  std::size_t helpers = std::min<std::size_t>(n, std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::thread> threads;
  for (std::size_t t = 1; t < helpers; ++t) {
    try {
      threads.emplace_back(work);
    } catch (const std::system_error&) {
      break;  // no more threads: the others (and this one) take the rest
    }
  }
  work();
  for (std::thread& t : threads) t.join();
}

}  // namespace subsidy
