#include "endaccept/asio_ref/accept_result.hpp"

#include <asio/error.hpp>
#include <chrono>
#include <thread>
#include <utility>

#include "endaccept/apm/exceptions.hpp"
#include "endaccept/asio_ref/mutant.hpp"
#include "endaccept/asio_ref/socket.hpp"
#include "socket_error.hpp"

namespace ea::asio_ref {
namespace {

[[noreturn]] void throw_already_ended() {
  throw apm::InvalidOperationException("EndAccept was already called for this result");
}

[[noreturn]] void throw_listener_closed() {
  throw apm::ObjectDisposedException("the listening socket was closed");
}

}  // namespace

AcceptResult::AcceptResult(std::weak_ptr<const Socket> listener, apm::AsyncCallback callback, apm::State state)
    : AsyncOperation(std::move(callback), std::move(state)), listener_(std::move(listener)) {}

bool AcceptResult::belongs_to(const Socket& listener) const { return listener_.lock().get() == &listener; }

void AcceptResult::claim() {
  if (mutant::active(Mutant::end_in_callback_fails) && calling_back()) {
    throw apm::InvalidOperationException("the result is busy in its callback");
  }
  if (mutant::active(Mutant::no_end_once)) return;
  if (mutant::active(Mutant::end_once_racy)) {
    if (claimed_) throw_already_ended();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    claimed_ = true;
    return;
  }
  if (claimed_.exchange(true)) throw_already_ended();
}

std::shared_ptr<Socket> AcceptResult::wait_for_socket() {
  std::unique_lock lock(mutex_);
  if (mutant::active(Mutant::end_returns_immediately) && !completed_) {
    throw apm::InvalidOperationException("the accept has not completed");
  }
  if (mutant::active(Mutant::close_does_not_wake)) {
    changed_.wait(lock, [this] { return completed_ && !abandoned_; });
  } else {
    changed_.wait(lock, [this] { return completed_ || abandoned_; });
  }
  if (abandoned_ && !(mutant::active(Mutant::no_disposed_check_after_completion) && accepted_)) {
    throw_listener_closed();
  }
  // Only Close cancels an accept; it may win the race against abandon().
  if (error_ == asio::error::operation_aborted) throw_listener_closed();
  if (error_) throw_socket_error(error_);
  if (!accepted_) throw_listener_closed();
  const bool hands_out_again = mutant::active(Mutant::no_end_once) || mutant::active(Mutant::end_once_racy);
  return hands_out_again ? accepted_ : std::exchange(accepted_, nullptr);
}

void AcceptResult::complete(std::error_code error, asio::ip::tcp::socket peer) {
  {
    std::lock_guard lock(mutex_);
    if (!error && !abandoned_) {
      accepted_ = std::make_shared<Socket>(std::move(peer));
    } else {
      std::error_code ignored;
      peer.close(ignored);  // accepted just as the listener closed
    }
  }
  finish(error);
}

void AcceptResult::abandon() {
  {
    std::lock_guard lock(mutex_);
    abandoned_ = true;
    if (accepted_ && !mutant::active(Mutant::leak_on_close)) accepted_->close();
  }
  changed_.notify_all();
}

bool AcceptResult::settled() const {
  std::lock_guard lock(mutex_);
  return claimed_ && completed_ && !accepted_;
}

}  // namespace ea::asio_ref
