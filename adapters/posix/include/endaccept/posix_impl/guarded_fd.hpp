#pragma once
// A socket descriptor that blocking calls on several threads may use while
// another thread closes it. close() wakes those calls (shutdown) but releases
// the descriptor number only once the last of them returned, so the number
// cannot be reused by a new socket under a call still in flight.
#include <mutex>
#include <optional>
#include <utility>

#include "endaccept/posix_impl/explored_mutex.hpp"
#include "endaccept/posix_impl/unique_fd.hpp"

namespace ea::posix_impl {

class GuardedFd {
 public:
  // Keeps the descriptor open while it exists.
  class Use {
   public:
    Use() = default;
    Use(Use&& other) noexcept : owner_(std::exchange(other.owner_, nullptr)) {}
    Use& operator=(Use&& other) noexcept;
    Use(const Use&) = delete;
    Use& operator=(const Use&) = delete;
    ~Use();

    int get() const noexcept;

   private:
    friend class GuardedFd;
    explicit Use(const GuardedFd* owner) noexcept : owner_(owner) {}
    const GuardedFd* owner_ = nullptr;
  };

  explicit GuardedFd(UniqueFd fd) noexcept : fd_(fd.release()) {}
  GuardedFd(const GuardedFd&) = delete;
  GuardedFd& operator=(const GuardedFd&) = delete;
  ~GuardedFd();  // no Use may outlive the GuardedFd

  // Using the descriptor leaves the socket as it is, hence const.
  Use use() const;  // throws ObjectDisposedException once closed
  std::optional<Use> try_use() const;
  // Closes now, or wakes the calls in flight (shutdown) and lets the last
  // of them close.
  void close() noexcept;
  bool is_closed() const;
  // The descriptor number, still reported after close as the socket's identity.
  int number() const noexcept { return fd_; }

 private:
  void release() const noexcept;

  const int fd_;
  mutable ExploredMutex mutex_;
  bool closed_ = false;
  mutable int users_ = 0;
};

}  // namespace ea::posix_impl
