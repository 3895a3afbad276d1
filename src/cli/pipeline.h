// The streaming pipeline of `batch` and `diff`: reader (core/rows) → scorer → writer (the command's
// sink, in input order), on core/ordered: rows are read in chunks, and each thread reads a chunk,
// scores it and writes whatever is next in order, so memory is bounded by the chunks in flight
// whatever the input's length.
// Contracts: the score function runs concurrently for different rows; it may touch only its row,
// its output and state indexed by its worker number. The output it is given holds what an earlier
// row left there (its storage is reused): it must replace every part of it. The write and progress
// functions are called one at a time, in input order, from any of the threads (ordered by a mutex).
// An exception thrown by any of them (out of memory, a Fatal from a sink) stops the run once every
// thread has finished its stage, and leaves run_pipeline on the calling thread.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/transcode.h"
#include "core/ordered.h"
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

// Rows per chunk: a chunk is the unit a thread reads, scores and writes. Small chunks keep the
// rows in flight (input, records, output text: a few KB each) in the processor's caches between
// scoring and writing, and bound the wait at the end of the input to one chunk's work.
inline constexpr std::size_t kChunkRows = 32;
// A chunk also stops once its rows hold this much text (rows of up to 16 MiB each would otherwise
// let a chunk hold gigabytes), so memory stays bounded by bytes too.
inline constexpr std::size_t kChunkBytes = std::size_t{64} << 20;
// Chunks in flight per thread: enough that a thread finding the next chunk to write still being
// scored by another can read and score one more instead of waiting.
inline constexpr std::size_t kChunksPerThread = 3;

// Fills `rows` with up to `max_rows` rows; false when the input had none left.
bool read_chunk(RowReader& reader, std::vector<Row>& rows, std::size_t max_rows);

// Scores every row of `reader` into an Out on `threads` threads and hands each to `write` in input
// order; `progress(consumed)` is called after each chunk is written, with the bytes of input read
// up to its end. Runs on core/ordered: every thread reads, scores and writes in turn, so the
// reader and `write` are used by one thread at a time (ordered by a mutex), `score` concurrently.
template <class Out>
void run_pipeline(RowReader& reader, unsigned threads,
                  const std::function<void(Row&, Out&, unsigned worker)>& score,
                  const std::function<void(const Row&, Out&)>& write,
                  const std::function<void(std::uintmax_t consumed)>& progress) {
  struct Chunk {
    std::vector<Row> rows;
    std::vector<Out> outs;
    std::uintmax_t consumed = 0;
  };
  OrderedStages<Chunk> stages;
  stages.read = [&](Chunk& chunk) {
    if (!read_chunk(reader, chunk.rows, kChunkRows)) return false;
    chunk.consumed = reader.consumed();
    return true;
  };
  stages.score = [&](Chunk& chunk, unsigned worker) {
    chunk.outs.resize(chunk.rows.size());
    for (std::size_t i = 0; i < chunk.rows.size(); ++i) score(chunk.rows[i], chunk.outs[i], worker);
  };
  stages.write = [&](Chunk& chunk) {
    for (std::size_t i = 0; i < chunk.rows.size(); ++i) write(chunk.rows[i], chunk.outs[i]);
    progress(chunk.consumed);
  };
  run_ordered(threads, kChunksPerThread * std::max(1u, threads), stages);
}

}  // namespace subsidy::cli
