#include "socket_reader.hpp"

#include <algorithm>
#include <thread>

#include "endaccept/host/outcome.hpp"

namespace ea::host {

void SocketReader::want(std::size_t total) {
  std::lock_guard lock(mutex_);
  wanted_ = std::max(wanted_, total);
  if (receiving_ || settled(wanted_)) return;
  receiving_ = true;
  std::thread([self = shared_from_this()] { self->receive_loop(); }).detach();
}

bool SocketReader::settled(std::size_t total) const { return ended_ || data_.size() >= total; }

void SocketReader::receive_loop() {
  for (;;) {
    std::size_t missing = 0;
    {
      std::lock_guard lock(mutex_);
      if (settled(wanted_)) {
        receiving_ = false;
        return;
      }
      missing = wanted_ - data_.size();
    }
    std::string chunk;
    std::optional<Json> error;
    try {
      chunk = socket_->receive(missing);
    } catch (...) {
      error = outcome_from_exception(std::current_exception());
    }
    {
      std::lock_guard lock(mutex_);
      data_ += chunk;
      if (error || chunk.empty()) {
        ended_ = true;
        error_ = std::move(error);
      }
    }
    changed_.notify_all();
  }
}

std::string SocketReader::gathered(std::size_t total, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [&] { return settled(total); });
  return data_;
}

SocketReader::Taken SocketReader::take(std::size_t count, std::chrono::milliseconds timeout) {
  std::size_t total = 0;
  {
    std::lock_guard lock(mutex_);
    total = taken_ + count;
  }
  want(total);
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [&] { return settled(total); });
  const auto end = std::min(total, data_.size());
  Taken taken{data_.substr(taken_, end - taken_), returned_outcome()};
  taken_ = end;
  if (end < total && error_) taken.outcome = *error_;
  return taken;
}

}  // namespace ea::host
