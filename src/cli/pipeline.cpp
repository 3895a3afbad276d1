#include "cli/pipeline.h"

#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <iostream>

#include "cli/io.h"
#include "cli/transcode.h"

namespace subsidy::cli {

ProfileInput::ProfileInput(const std::string& path, Encoding encoding)
    : source_(path == "-" ? "<stdin>" : path), in_(&std::cin) {
  if (path != "-") {
    ::close(open_input(path));  // a directory or an unreadable file, with the reason
    file_ = std::make_unique<std::ifstream>(path, std::ios::binary);
    if (!*file_) throw unreadable(path, errno);
    in_ = file_.get();
    std::error_code ec;
    size_ = std::filesystem::file_size(path, ec);
    if (ec) size_ = 0;
  }
  // GBK or GB18030 input is converted as it is read, so the readers see UTF-8 only; a conversion
  // error thrown by the buffer reaches the command only with badbit in exceptions().
  if (encoding != Encoding::Utf8) {
    transcoder_ = std::make_unique<TranscodingBuf>(*in_, encoding_info(encoding).iconv, source_);
    converted_ = std::make_unique<std::istream>(transcoder_.get());
    converted_->exceptions(std::ios::badbit);
    in_ = converted_.get();
  }
}

ProfileInput::~ProfileInput() = default;

std::string extension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

RowFormat row_format(const std::string& path, std::optional<Format> option) {
  constexpr Format kOffered[] = {Format::JsonLines, Format::Csv};
  Format format =
      option ? *option : format_of_extension(extension(path), kOffered, Format::JsonLines);
  return format == Format::Csv ? RowFormat::Csv : RowFormat::JsonLines;
}

WorkerPool::WorkerPool(unsigned threads) {
  try {
    threads_.reserve(threads);
    for (unsigned t = 0; t < threads; ++t) threads_.emplace_back(&WorkerPool::work, this, t);
  } catch (...) {
    // A thread that cannot be started (no memory for its stack, a process limit): the ones
    // started are stopped and joined, and the error goes on to the command (exit 6).
    stop();
    throw;
  }
}

WorkerPool::~WorkerPool() {
  stop();
}

void WorkerPool::stop() noexcept {
  {
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return busy_ == 0; });
    stop_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

void WorkerPool::start(std::function<void(unsigned)> job) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    job_ = std::move(job);
    busy_ = size();
    ++generation_;
  }
  wake_.notify_all();
}

void WorkerPool::wait() {
  std::exception_ptr failure;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return busy_ == 0; });
    failure = std::exchange(failure_, nullptr);
  }
  if (failure) std::rethrow_exception(failure);
}

void WorkerPool::work(unsigned worker) {
  unsigned long seen = 0;
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
    }
    // A worker's exception (out of memory) is handed to the controlling thread by wait().
    try {
      job_(worker);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!failure_) failure_ = std::current_exception();
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (--busy_ == 0) done_.notify_all();
  }
}

bool read_chunk(RowReader& reader, std::vector<Row>& rows, std::size_t max_rows) {
  rows.clear();
  std::size_t bytes = 0;
  while (rows.size() < max_rows && bytes <= kChunkBytes) {
    Row row;
    if (!reader.next(row)) break;
    // Capacity, not size: what the rows hold in memory, growth included.
    bytes += row.text.capacity();
    for (const std::string& field : row.record.fields) bytes += field.capacity();
    rows.push_back(std::move(row));
  }
  return !rows.empty();
}

}  // namespace subsidy::cli
