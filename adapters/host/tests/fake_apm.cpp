#include "fake_apm.hpp"

namespace ea::test {
namespace {

std::atomic<int> next_id{3};

class FakeResult final : public apm::AsyncResult {
 public:
  FakeResult(const apm::Socket* owner, apm::State state, StateHolding holding)
      : owner(owner), weak_state_(state), state_(holding == StateHolding::strong ? std::move(state) : nullptr) {}

  bool is_completed() const override { return true; }
  bool completed_synchronously() const override { return false; }
  apm::State async_state() const override { return weak_state_.lock(); }
  bool wait(std::chrono::milliseconds) override { return true; }

  const apm::Socket* const owner;
  std::atomic<bool> ended{false};

 private:
  std::weak_ptr<void> weak_state_;
  apm::State state_;  // null when held weakly
};

}  // namespace

FakeSocket::FakeSocket(CallbackTiming timing, bool connected, StateHolding holding)
    : timing_(timing), holding_(holding), connected_(connected), id_(next_id++), unread_(connected ? "hello" : "") {}

FakeSocket::~FakeSocket() {
  // A callback may begin another accept (adding a thread) or hold the last
  // reference to this socket (destroying it on its own thread).
  while (true) {
    std::vector<std::thread> threads;
    {
      std::lock_guard lock(mutex_);
      threads.swap(callback_threads_);
    }
    if (threads.empty()) return;
    for (auto& thread : threads) {
      if (thread.get_id() == std::this_thread::get_id()) {
        thread.detach();
      } else {
        thread.join();
      }
    }
  }
}

void FakeSocket::listen_on_loopback(int) {
  if (closed_) throw apm::ObjectDisposedException("closed");
}

apm::Endpoint FakeSocket::local_endpoint() const { return {"127.0.0.1", static_cast<std::uint16_t>(40000 + id_)}; }

std::optional<apm::Endpoint> FakeSocket::remote_endpoint() const {
  if (!connected_) return std::nullopt;
  return apm::Endpoint{"127.0.0.1", 50000};
}

std::string FakeSocket::identity() const { return "fake:" + std::to_string(id_); }

std::shared_ptr<apm::AsyncResult> FakeSocket::begin_accept(apm::AsyncCallback callback, apm::State state) {
  if (closed_) throw apm::ObjectDisposedException("closed");
  auto result = std::make_shared<FakeResult>(this, std::move(state), holding_);
  if (callback && timing_ == CallbackTiming::inline_in_begin) callback(result);
  if (callback && timing_ == CallbackTiming::worker_thread) {
    std::lock_guard lock(mutex_);
    callback_threads_.emplace_back([callback, result] { callback(result); });
  }
  return result;
}

std::shared_ptr<apm::Socket> FakeSocket::end_accept(const std::shared_ptr<apm::AsyncResult>& result) {
  if (closed_) throw apm::ObjectDisposedException("closed");
  if (!result) throw apm::ArgumentNullException("asyncResult");
  auto* ours = dynamic_cast<FakeResult*>(result.get());
  if (!ours || ours->owner != this) throw apm::ArgumentException("not from this socket's BeginAccept");
  if (ours->ended.exchange(true)) throw apm::InvalidOperationException("already ended");
  return std::make_shared<FakeSocket>(timing_, true, holding_);
}

std::shared_ptr<apm::AsyncResult> FakeSocket::begin_connect(const apm::Endpoint&, apm::AsyncCallback, apm::State state) {
  return std::make_shared<FakeResult>(nullptr, std::move(state), holding_);
}

std::string FakeSocket::receive(std::size_t max) {
  std::lock_guard lock(mutex_);
  auto chunk = unread_.substr(0, max);
  unread_.erase(0, chunk.size());
  return chunk;
}

host::Implementation fake_implementation(CallbackTiming timing, StateHolding holding) {
  host::Implementation implementation;
  implementation.adapter_name = "fake";
  implementation.adapter_version = "0.0.1";
  implementation.description = "in-memory fake";
  implementation.make_socket = [timing, holding](apm::Family) {
    return std::make_shared<FakeSocket>(timing, false, holding);
  };
  return implementation;
}

}  // namespace ea::test
