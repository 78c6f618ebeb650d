// Owns a POSIX file descriptor: closed on destruction or reset, movable, never copied. The
// image store and the HTTP shell's file bodies both hold descriptors this way.
#pragma once

#include <utility>

namespace ingot {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.release()) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = o.release();
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  // The descriptor, no longer owned.
  int release() { return std::exchange(fd_, -1); }
  // Closes the descriptor now, if there is one.
  void reset();

 private:
  int fd_ = -1;
};

}  // namespace ingot
