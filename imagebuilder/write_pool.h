// A few threads writing the files of one apply at once. Creating thousands of small files is
// mostly kernel work (inode allocation, directory entries) and waiting for the source; several
// writers keep both cores and the fetch connections busy. Jobs are independent files; the
// caller drains the pool before anything that depends on a written file (a hardlink to it, the
// directories' metadata, pruning). The first error stops the rest and is what drain returns.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "common/result.h"

namespace ingot::image {

class WritePool {
 public:
  using Job = std::function<Result<void>()>;
  // threads == 0: jobs run inline in submit (sources that cannot fetch concurrently).
  explicit WritePool(int threads);
  ~WritePool();
  WritePool(const WritePool&) = delete;
  WritePool& operator=(const WritePool&) = delete;

  // Blocks while kMaxQueuedJobs wait, so the writers stay close to the order files were planned
  // (the source fetches ahead in that order). After an error, jobs are dropped.
  void submit(Job job);
  // Waits until every submitted job ran; the first error, if any.
  Result<void> drain();
  bool failed();

 private:
  void run();
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  std::size_t running_ = 0;
  bool stopping_ = false;
  Result<void> first_error_ = ok();
  std::vector<std::thread> threads_;
};

}  // namespace ingot::image
