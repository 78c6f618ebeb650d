// librsync behind one small wrapper (STYLE.md 5): a signature of a base buffer, a streaming
// delta from that signature to new content, and a streaming patch that rebuilds the new content
// from a base file and a delta. librsync's C headers stay in rsync_delta.cpp. The delta format
// is librsync's own ("rs\x02\x36" commands: LITERAL, COPY from the base, END).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "common/result.h"
#include "imagebuilder/object_codec.h"

namespace ingot::image {

// Builds the delta: feed the new content in chunks, then finish(); the delta's bytes go to sink.
class DeltaEncoder {
 public:
  // The base is only read while the signature is made; it need not outlive the constructor.
  DeltaEncoder(std::span<const std::uint8_t> base, ByteSink sink);
  ~DeltaEncoder();
  DeltaEncoder(const DeltaEncoder&) = delete;
  DeltaEncoder& operator=(const DeltaEncoder&) = delete;

  Result<void> update(std::span<const std::uint8_t> content);
  Result<void> finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Rebuilds new content: feed the delta in chunks, then finish(); the content goes to sink.
// Every COPY is checked against the base's size (a hostile delta cannot read past it), and the
// output is capped at max_output (the size the manifest promises).
class DeltaPatcher {
 public:
  // base_fd stays owned by the caller and must stay open until finish().
  DeltaPatcher(int base_fd, std::uint64_t base_size, ByteSink sink, std::uint64_t max_output);
  ~DeltaPatcher();
  DeltaPatcher(const DeltaPatcher&) = delete;
  DeltaPatcher& operator=(const DeltaPatcher&) = delete;

  Result<void> update(std::span<const std::uint8_t> delta);
  Result<void> finish();  // fails unless the delta ended properly
  std::uint64_t output_size() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ingot::image
