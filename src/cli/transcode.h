// Input in a legacy Chinese encoding (GBK, GB18030), converted to UTF-8 as it is read, so that the
// CSV and JSON Lines readers see UTF-8 only.
#pragma once

#include <iconv.h>

#include <cstdint>
#include <istream>
#include <streambuf>
#include <string>
#include <vector>

#include "core/tables.h"

namespace subsidy::cli {

// A read-only stream buffer over `source` that converts from `encoding` (an iconv name) to UTF-8
// block by block; a multibyte character split between two blocks is carried over to the next.
// An invalid byte sequence throws Fatal(kBadInput) naming the byte offset and line: an istream
// reading this buffer must have badbit in its exceptions() for that to reach the caller.
class TranscodingBuf : public std::streambuf {
 public:
  TranscodingBuf(std::istream& source, std::string encoding, std::string name);
  ~TranscodingBuf() override;
  TranscodingBuf(const TranscodingBuf&) = delete;
  TranscodingBuf& operator=(const TranscodingBuf&) = delete;

 protected:
  int_type underflow() override;
  // Only tellg() is supported: the input bytes consumed so far, for progress.
  pos_type seekoff(off_type off, std::ios_base::seekdir dir, std::ios_base::openmode) override;

 private:
  [[noreturn]] void invalid(std::size_t at) const;

  std::istream& source_;
  std::string encoding_;
  std::string name_;
  iconv_t cd_;
  std::vector<char> in_;  // input bytes not yet converted: in_[0, in_len_)
  std::size_t in_len_ = 0;
  std::vector<char> out_;        // converted UTF-8, the get area
  std::uintmax_t consumed_ = 0;  // input bytes converted so far
  std::uintmax_t lines_ = 1;     // lines of converted output so far, for errors
  bool eof_ = false;
};

// The encodings a profile file may be in (batch --encoding), one table: the value the option
// takes and iconv's name for it. UTF-8 is read as it is; the others are converted as read.
enum class Encoding { Utf8, Gbk, Gb18030 };

struct EncodingInfo {
  Encoding encoding;
  std::string_view key;
  const char* iconv;
};

inline constexpr EncodingInfo kEncodings[] = {
    {Encoding::Utf8, "utf-8", "UTF-8"},
    {Encoding::Gbk, "gbk", "GBK"},
    {Encoding::Gb18030, "gb18030", "GB18030"},
};
static_assert(in_enum_order(kEncodings, &EncodingInfo::encoding, 3),
              "kEncodings is indexed by Encoding");

inline const EncodingInfo& encoding_info(Encoding encoding) {
  return kEncodings[static_cast<std::size_t>(encoding)];
}

}  // namespace subsidy::cli
