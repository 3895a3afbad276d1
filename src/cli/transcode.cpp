#include "cli/transcode.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "cli/app.h"

namespace subsidy::cli {

namespace {
constexpr std::size_t kBlock = 1 << 16;
}  // namespace

TranscodingBuf::TranscodingBuf(std::istream& source, std::string encoding, std::string name)
    : source_(source),
      encoding_(std::move(encoding)),
      name_(std::move(name)),
      cd_(::iconv_open("UTF-8", encoding_.c_str())),
      in_(kBlock),
      // GB18030 takes at most 4 bytes a character, and UTF-8 at most 4: 2 bytes of GBK become 3.
      out_(kBlock * 2) {
  if (cd_ == reinterpret_cast<iconv_t>(-1)) {
    throw Fatal(kUsage, msg("encoding {} is not supported by this system's iconv",
                            "本系统的 iconv 不支持 {} 编码", encoding_));
  }
  setg(out_.data(), out_.data(), out_.data());
}

TranscodingBuf::~TranscodingBuf() {
  ::iconv_close(cd_);
}

void TranscodingBuf::invalid(std::size_t at) const {
  throw Fatal(kBadInput, msg("{}: line {}, byte offset {}: not valid {} text: is --encoding right?",
                             "{}：第 {} 行，字节偏移 {}：不是有效的 {} 文本：--encoding 是否正确？",
                             name_, lines_, consumed_ + at, encoding_));
}

TranscodingBuf::int_type TranscodingBuf::underflow() {
  if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
  while (true) {
    // Top up the input after whatever the last block left unconverted.
    if (!eof_ && in_len_ < in_.size()) {
      source_.read(in_.data() + in_len_, static_cast<std::streamsize>(in_.size() - in_len_));
      std::size_t got = static_cast<std::size_t>(source_.gcount());
      in_len_ += got;
      if (got == 0) eof_ = true;
    }
    if (in_len_ == 0) return traits_type::eof();
    char* src = in_.data();
    std::size_t src_left = in_len_;
    char* dst = out_.data();
    std::size_t dst_left = out_.size();
    std::size_t r = ::iconv(cd_, &src, &src_left, &dst, &dst_left);
    int err = r == static_cast<std::size_t>(-1) ? errno : 0;
    std::size_t used = in_len_ - src_left;
    std::size_t made = out_.size() - dst_left;
    // Which line an error is on: the converted text's line ends, counted before this block's
    // bytes are moved past.
    lines_ += static_cast<std::uintmax_t>(std::count(out_.data(), out_.data() + made, '\n'));
    if (err == EILSEQ) invalid(used);
    // EINVAL: a character split by the block's end, kept for the next; at the end of the input it
    // is a character cut short.
    if (err == EINVAL && eof_ && made == 0) invalid(used);
    std::memmove(in_.data(), in_.data() + used, src_left);
    in_len_ = src_left;
    consumed_ += used;
    if (made > 0) {
      setg(out_.data(), out_.data(), out_.data() + made);
      return traits_type::to_int_type(*gptr());
    }
  }
}

TranscodingBuf::pos_type TranscodingBuf::seekoff(off_type off, std::ios_base::seekdir dir,
                                                 std::ios_base::openmode) {
  if (off != 0 || dir != std::ios_base::cur) return pos_type(off_type(-1));
  return pos_type(static_cast<off_type>(consumed_));
}

}  // namespace subsidy::cli
