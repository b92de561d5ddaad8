#pragma once
// The part of System.Net.Sockets.Socket that the accept contract touches,
// as an abstract C++ class. An implementation under test derives from it;
// the adapter host drives it through this interface only.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "endaccept/apm/async_result.hpp"
#include "endaccept/apm/exceptions.hpp"

namespace ea::apm {

enum class Family { ipv4, ipv6 };

struct Endpoint {
  std::string address;  // textual, compressed IPv6 form ("::1")
  std::uint16_t port = 0;
};

class Socket {
 public:
  virtual ~Socket() = default;

  // Bind to the family's loopback address, port 0, and listen.
  virtual void listen_on_loopback(int backlog) = 0;
  virtual Endpoint local_endpoint() const = 0;
  virtual std::optional<Endpoint> remote_endpoint() const = 0;
  virtual bool connected() const = 0;
  // Distinguishes OS sockets (e.g. "fd:12").
  virtual std::string identity() const = 0;

  // `callback` may be empty (no callback).
  virtual std::shared_ptr<AsyncResult> begin_accept(AsyncCallback callback, State state) = 0;
  // `result` may be null. Throws the contract's exceptions.
  virtual std::shared_ptr<Socket> end_accept(const std::shared_ptr<AsyncResult>& result) = 0;

  // Another asynchronous operation of the same implementation, used as a
  // foreign result for EndAccept.
  virtual std::shared_ptr<AsyncResult> begin_connect(const Endpoint& remote, AsyncCallback callback,
                                                     State state) = 0;

  // Blocking send of all bytes; returns the count sent.
  virtual std::size_t send(const std::string& data) = 0;
  // Blocking receive of up to `max` bytes; empty string when the peer closed.
  virtual std::string receive(std::size_t max) = 0;

  virtual void close() = 0;
};

// Creates an unbound TCP socket of the given family.
using SocketFactory = std::function<std::shared_ptr<Socket>(Family)>;

// Optional network tracing, as in "System.Net" tracing: the implementation
// calls the sink with one line per traced event while enabled.
using TraceSink = std::function<void(const std::string&)>;
using TraceControl = std::function<void(TraceSink)>;  // empty sink disables

}  // namespace ea::apm
