#include "cli/pipeline.h"

#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <iostream>

#include "cli/io.h"
#include "cli/transcode.h"
#include "core/reuse.h"

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

bool read_chunk(RowReader& reader, std::vector<Row>& rows, std::size_t max_rows) {
  // The rows of an earlier chunk are read into again: their strings keep their storage (up to
  // what the scorer keeps), which saves an allocation and a free per row.
  std::size_t n = 0;
  std::size_t bytes = 0;
  while (n < max_rows && bytes <= kChunkBytes) {
    Row& row = refill_slot(rows, n);
    if (!reader.next(row)) break;
    // Capacity, not size: what the rows hold in memory, growth included.
    bytes += row.text.capacity() + row.record.capacity();
    ++n;
  }
  rows.resize(n);
  return n > 0;
}

}  // namespace subsidy::cli
