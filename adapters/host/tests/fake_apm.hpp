#pragma once
// An in-memory implementation of the apm contract for testing the host
// without sockets. Accepts complete at once; accepted sockets deliver
// "hello" and then end of stream.
#include <atomic>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "endaccept/apm/socket.hpp"
#include "endaccept/host/implementation.hpp"

namespace ea::test {

enum class CallbackTiming { inline_in_begin, worker_thread };

// How results hold their AsyncState: as the contract requires, or only
// weakly (a broken implementation, for checking that the adapter itself
// keeps no hidden reference to a state object).
enum class StateHolding { strong, weak };

inline std::ostream& operator<<(std::ostream& out, CallbackTiming timing) {
  return out << (timing == CallbackTiming::inline_in_begin ? "inline" : "worker-thread");
}

class FakeSocket final : public apm::Socket, public std::enable_shared_from_this<FakeSocket> {
 public:
  FakeSocket(CallbackTiming timing, bool connected, StateHolding holding = StateHolding::strong);
  ~FakeSocket() override;

  void listen_on_loopback(int backlog) override;
  apm::Endpoint local_endpoint() const override;
  std::optional<apm::Endpoint> remote_endpoint() const override;
  bool connected() const override { return connected_; }
  std::string identity() const override;
  std::shared_ptr<apm::AsyncResult> begin_accept(apm::AsyncCallback callback, apm::State state) override;
  std::shared_ptr<apm::Socket> end_accept(const std::shared_ptr<apm::AsyncResult>& result) override;
  std::shared_ptr<apm::AsyncResult> begin_connect(const apm::Endpoint& remote, apm::AsyncCallback callback,
                                                  apm::State state) override;
  std::size_t send(const std::string& data) override { return data.size(); }
  std::string receive(std::size_t max) override;
  void close() override { closed_ = true; }

 private:
  const CallbackTiming timing_;
  const StateHolding holding_;
  const bool connected_;
  const int id_;
  std::atomic<bool> closed_{false};
  std::mutex mutex_;
  std::string unread_;
  std::vector<std::thread> callback_threads_;
};

host::Implementation fake_implementation(CallbackTiming timing, StateHolding holding = StateHolding::strong);

}  // namespace ea::test
