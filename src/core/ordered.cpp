#include "core/ordered.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <string>

namespace subsidy {

CoreTime core_time(const std::vector<int>& tids) {
  CoreTime total;
  for (int tid : tids) {
    if (tid == 0) continue;  // not started yet
    std::string path = "/proc/self/task/" + std::to_string(tid) + "/schedstat";
    std::FILE* f = std::fopen(path.c_str(), "r");
    if (!f) continue;
    unsigned long long running = 0, waiting = 0;
    if (std::fscanf(f, "%llu %llu", &running, &waiting) == 2) {
      total.ran_ns += running;
      total.waited_ns += waiting;
    }
    std::fclose(f);
  }
  return total;
}

int this_thread_id() {
  return static_cast<int>(::syscall(SYS_gettid));
}

}  // namespace subsidy
