#include "imagebuilder/write_pool.h"

namespace ingot::image {
namespace {

// Queued jobs beyond the running ones: enough that a writer never waits for the main loop,
// few enough that the writers follow the planned order (see submit).
constexpr std::size_t kMaxQueuedJobs = 32;

}  // namespace

WritePool::WritePool(int threads) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { run(); });
}

WritePool::~WritePool() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    queue_.clear();  // the apply is over (or failed): only the jobs under way finish
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

void WritePool::submit(Job job) {
  if (threads_.empty()) {
    if (!first_error_) return;
    if (auto r = job(); !r) first_error_ = r;
    return;
  }
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return queue_.size() < kMaxQueuedJobs || !first_error_; });
  if (!first_error_) return;
  queue_.push_back(std::move(job));
  cv_.notify_all();
}

Result<void> WritePool::drain() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return queue_.empty() && running_ == 0; });
  return first_error_;
}

bool WritePool::failed() {
  std::lock_guard lock(mu_);
  return !first_error_;
}

void WritePool::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, nothing left
    Job job = std::move(queue_.front());
    queue_.pop_front();
    ++running_;
    lock.unlock();
    auto r = job();
    lock.lock();
    --running_;
    if (!r && first_error_) {
      first_error_ = r;
      queue_.clear();
    }
    cv_.notify_all();
  }
}

}  // namespace ingot::image
