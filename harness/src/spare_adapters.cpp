#include "spare_adapters.hpp"

#include <utility>

namespace ea::harness {

SpareAdapters::SpareAdapters(LaunchSpec launch, std::size_t spares, std::size_t runs, const HeadStart* head_start)
    : launch_(std::move(launch)), spares_wanted_(spares), head_start_(head_start), starts_left_(runs) {}

std::unique_ptr<AdapterProcess> SpareAdapters::take() {
  std::unique_ptr<AdapterProcess> taken;
  {
    const std::lock_guard<std::mutex> hold(lock_);
    if (!waiting_.empty()) {
      taken = std::move(waiting_.front());
      waiting_.pop_front();
    } else if (starts_left_ > 0) {
      --starts_left_;
    }
  }
  if (!taken) taken = std::make_unique<AdapterProcess>(launch_);
  if (!head_start_ || head_start_->has_begun()) top_up();
  return taken;
}

void SpareAdapters::top_up() {
  const std::lock_guard<std::mutex> hold(lock_);
  while (waiting_.size() < spares_wanted_ && starts_left_ > 0) {
    --starts_left_;
    try {
      waiting_.push_back(std::make_unique<AdapterProcess>(launch_));
    } catch (const std::exception&) {
      // The case that would have taken it starts its own and meets the
      // failure itself, with the case's name on it.
      ++starts_left_;
      return;
    }
  }
}

}  // namespace ea::harness
