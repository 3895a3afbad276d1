// core/direct_writer: what is written comes back byte for byte whatever the sizes of the pieces
// and of the whole (block boundaries, a partial last block, nothing); a failed write comes back
// as its errno; destroying a writer without finish() does not hang.
#include "core/direct_writer.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>

namespace subsidy {
namespace {

constexpr std::size_t kBlock = DirectWriter::kBlock;

// Bytes that differ from one position to the next (a block written twice or out of order shows).
std::string pattern(std::size_t size) {
  std::string text(size, '\0');
  for (std::size_t i = 0; i < size; ++i) text[i] = static_cast<char>('a' + (i * 7 + i / 4093) % 26);
  return text;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct TempFile {
  std::string path = testing::TempDir() + "direct_writer_test." + std::to_string(::getpid());
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  ~TempFile() {
    if (fd >= 0) ::close(fd);
    ::unlink(path.c_str());
  }
};

TEST(DirectWriter, WritesEveryByteInOrder) {
  struct Case {
    std::size_t size, piece;
  };
  const Case cases[] = {
      {0, 1},
      {1, 1},
      {4095, 1000},
      {kBlock - 1, 4096},
      {kBlock, kBlock},
      {kBlock + 1, 777},
      {5 * kBlock + 17, kBlock + 3},  // pieces across block boundaries
      {12 * kBlock, 65536},           // more blocks than may be queued
      {3 * kBlock + 5, 3 * kBlock + 5},
  };
  for (const Case& c : cases) {
    TempFile file;
    ASSERT_GE(file.fd, 0);
    std::unique_ptr<DirectWriter> writer = DirectWriter::start(file.fd);
    if (!writer) GTEST_SKIP() << testing::TempDir() << ": this file system refuses O_DIRECT";
    std::string text = pattern(c.size);
    for (std::size_t at = 0; at < text.size(); at += c.piece) {
      ASSERT_EQ(writer->write(std::string_view(text).substr(at, c.piece)), 0);
    }
    ASSERT_EQ(writer->finish(), 0);
    writer.reset();
    std::string back = read_file(file.path);
    ASSERT_EQ(back.size(), text.size()) << c.size << " in pieces of " << c.piece;
    EXPECT_TRUE(back == text) << c.size << " in pieces of " << c.piece;
  }
}

// A writer on a descriptor open for reading only: every write fails (EBADF), through the page
// cache too.
struct UnwritableFile {
  TempFile file;
  int fd = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC);
  std::unique_ptr<DirectWriter> writer = fd >= 0 ? DirectWriter::start(fd) : nullptr;
  ~UnwritableFile() {
    writer.reset();
    if (fd >= 0) ::close(fd);
  }
};

// The background thread's errno reaches the caller; nothing waits forever.
TEST(DirectWriter, AFailedWriteIsReturned) {
  UnwritableFile unwritable;
  ASSERT_GE(unwritable.fd, 0);
  if (!unwritable.writer) GTEST_SKIP() << testing::TempDir() << ": no O_DIRECT here";
  DirectWriter& writer = *unwritable.writer;
  std::string text = pattern(9 * kBlock);
  int first = 0;
  for (std::size_t at = 0; at < text.size() && first == 0; at += 4096) {
    first = writer.write(std::string_view(text).substr(at, 4096));
  }
  int last = writer.finish();
  EXPECT_EQ(first != 0 ? first : last, EBADF);
  EXPECT_EQ(last, EBADF);
}

// Once a write has failed, every later call says so at once and copies nothing more: the
// caller stops, and a long piece of data does not fill block after block for nothing.
TEST(DirectWriter, AfterAFailureEveryWriteReturnsIt) {
  UnwritableFile unwritable;
  ASSERT_GE(unwritable.fd, 0);
  if (!unwritable.writer) GTEST_SKIP() << testing::TempDir() << ": no O_DIRECT here";
  DirectWriter& writer = *unwritable.writer;
  std::string block = pattern(kBlock);
  int err = 0;
  for (int i = 0; i < 50 && err == 0; ++i) {
    err = writer.write(block);
    if (err == 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ASSERT_EQ(err, EBADF) << "the background thread's failure reached write()";
  EXPECT_EQ(writer.write("x"), EBADF);
  EXPECT_EQ(writer.write(pattern(10 * kBlock)), EBADF);
  EXPECT_EQ(writer.finish(), EBADF);
}

TEST(DirectWriter, DestroyedWithoutFinishStops) {
  TempFile file;
  ASSERT_GE(file.fd, 0);
  std::unique_ptr<DirectWriter> writer = DirectWriter::start(file.fd);
  if (!writer) GTEST_SKIP() << testing::TempDir() << ": this file system refuses O_DIRECT";
  std::string text = pattern(6 * kBlock + 10);
  ASSERT_EQ(writer->write(text), 0);
  writer.reset();  // returns: the thread stopped
  EXPECT_LE(read_file(file.path).size(), text.size());
}

}  // namespace
}  // namespace subsidy
