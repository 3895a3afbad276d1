// The streaming pipeline of `batch` and `diff`: reader (core/rows) → scorer (a persistent pool of
// worker threads) → writer (the command's sink, in input order). Rows are read in chunks and two
// chunks are in flight: while the workers score one, the calling thread writes the previous one
// and reads the next, so memory is bounded by the chunk size whatever the input's length.
// Contracts: the score function runs on the workers, concurrently for different rows; it may
// touch only its row, its output and state indexed by its worker number. The write function runs
// on the calling thread, in input order. An exception thrown by either (out of memory, a Fatal
// from a sink) stops the run once the workers are idle, and leaves through run().
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cli/transcode.h"
#include "core/rows.h"
#include "report/format.h"

namespace subsidy::cli {

// The profile file a command reads: the file, or standard input for "-", converted to UTF-8 from
// `encoding` (utf-8, gbk, gb18030) as it is read. Checked when constructed: a directory or an
// unreadable file is Fatal(kBadInput) with the reason.
class ProfileInput {
 public:
  ProfileInput(const std::string& path, Encoding encoding);
  ~ProfileInput();
  ProfileInput(const ProfileInput&) = delete;
  ProfileInput& operator=(const ProfileInput&) = delete;

  std::istream& stream() { return *in_; }
  const std::string& source() const { return source_; }  // for messages: the path or <stdin>
  std::uintmax_t size() const { return size_; }          // 0 when unknown (standard input)

 private:
  std::string source_;
  std::uintmax_t size_ = 0;
  std::unique_ptr<std::ifstream> file_;
  std::unique_ptr<TranscodingBuf> transcoder_;
  std::unique_ptr<std::istream> converted_;
  std::istream* in_;
};

// The format of the profiles in `path`: `option` (JsonLines, Csv) when given, else CSV for a name
// ending in .csv (any case), else JSON Lines (standard input included).
RowFormat row_format(const std::string& path, std::optional<Format> option);

// The lower-cased extension of `path` (".csv"), for choosing formats by name.
std::string extension(const std::string& path);

// Threads started once and given one job at a time; each runs the job with its own number.
// Used by one controlling thread. The destructor waits for a job in progress, then joins.
class WorkerPool {
 public:
  explicit WorkerPool(unsigned threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  unsigned size() const { return static_cast<unsigned>(threads_.size()); }
  // Every worker runs job(worker) once; returns at once.
  void start(std::function<void(unsigned)> job);
  // Waits until every worker has finished the job; rethrows the first exception one threw.
  void wait();

 private:
  void work(unsigned worker);
  void stop() noexcept;  // waits for a job in progress, then ends and joins the threads

  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::function<void(unsigned)> job_;
  unsigned long generation_ = 0;
  unsigned busy_ = 0;
  bool stop_ = false;
  std::exception_ptr failure_;
};

// Rows per chunk and thread: small chunks keep the rows in flight (input, records, output text: a
// few KB each) in the processor's caches between scoring and writing; 256 rows per thread ran a
// 1-thread batch about 10% faster than 2048 did, at half the memory.
inline constexpr std::size_t kChunkRowsPerThread = 256;
// A chunk also stops once its rows hold this much text (rows of up to 16 MiB each would otherwise
// let a chunk hold gigabytes), so memory stays bounded by bytes too.
inline constexpr std::size_t kChunkBytes = std::size_t{64} << 20;

// Fills `rows` with up to `max_rows` rows; false when the input had none left.
bool read_chunk(RowReader& reader, std::vector<Row>& rows, std::size_t max_rows);

// Scores every row of `reader` into an Out on `threads` workers and hands each to `write` in input
// order; `progress` is called after each chunk. With one thread everything runs on the caller.
template <class Out>
void run_pipeline(RowReader& reader, unsigned threads,
                  const std::function<void(Row&, Out&, unsigned worker)>& score,
                  const std::function<void(const Row&, Out&)>& write,
                  const std::function<void()>& progress) {
  struct Chunk {
    std::vector<Row> rows;
    std::vector<Out> outs;
  };
  const std::size_t chunk_rows = kChunkRowsPerThread * threads;
  // Workers take blocks of 16 rows from a shared counter: a worker slowed down (by the writing
  // thread, on a busy machine) simply takes fewer blocks, and neighbouring results, which share
  // cache lines, are written by one thread.
  std::atomic<std::size_t> next_row{0};
  auto score_chunk = [&](Chunk& chunk, unsigned worker) {
    constexpr std::size_t kBlock = 16;
    std::size_t start;
    while ((start = next_row.fetch_add(kBlock, std::memory_order_relaxed)) < chunk.rows.size()) {
      for (std::size_t i = start; i < std::min(start + kBlock, chunk.rows.size()); ++i)
        score(chunk.rows[i], chunk.outs[i], worker);
    }
  };
  auto write_chunk = [&](Chunk& chunk) {
    for (std::size_t i = 0; i < chunk.rows.size(); ++i) write(chunk.rows[i], chunk.outs[i]);
  };
  Chunk chunks[2];  // before the pool: a job in progress when an exception leaves still uses them
  std::optional<WorkerPool> pool;
  if (threads > 1) pool.emplace(threads);
  std::size_t current = 0;
  bool more = read_chunk(reader, chunks[current].rows, chunk_rows);
  bool pending = false;  // chunks[1 - current] holds scored rows not yet written
  while (more || pending) {
    Chunk& chunk = chunks[current];
    Chunk& other = chunks[1 - current];
    bool scoring = more;
    if (scoring) chunk.outs.assign(chunk.rows.size(), Out{});
    next_row = 0;
    if (!pool || !scoring) {
      if (pending) write_chunk(other);
      if (scoring) score_chunk(chunk, 0);
      more = scoring && read_chunk(reader, other.rows, chunk_rows);
    } else {
      pool->start([&](unsigned worker) { score_chunk(chunk, worker); });
      if (pending) write_chunk(other);
      more = read_chunk(reader, other.rows, chunk_rows);
      pool->wait();
    }
    progress();
    pending = scoring;
    current = 1 - current;
  }
}

}  // namespace subsidy::cli
