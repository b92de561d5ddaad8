#include "test_client.hpp"

#include <asio.hpp>

namespace ea::harness {

std::string Address::to_string() const {
  return (ip.find(':') != std::string::npos ? "[" + ip + "]" : ip) + ":" + std::to_string(port);
}

struct TestClient::Io {
  asio::io_context context;
  asio::ip::tcp::socket socket{context};

  // Runs the context until `done` or the deadline and tells which came
  // first; a late operation is cancelled so no handler outlives the call.
  bool run_until(const bool& done, Clock::time_point deadline) {
    context.restart();
    while (!done && Clock::now() < deadline) context.run_one_until(deadline);
    if (done) return true;
    asio::error_code ignored;
    socket.cancel(ignored);
    context.restart();
    context.run();
    return false;
  }
};

namespace {

Address to_address(const asio::ip::tcp::endpoint& endpoint) {
  return {endpoint.address().to_string(), endpoint.port()};
}

}  // namespace

TestClient::TestClient() : io_(std::make_unique<Io>()) {}
TestClient::~TestClient() { close(); }

void TestClient::connect(const Address& server, Clock::time_point deadline) {
  const auto address = asio::ip::make_address(server.ip);
  if (!address.is_loopback()) throw std::runtime_error("refusing to connect outside loopback: " + server.ip);
  bool done = false;
  asio::error_code result = asio::error::timed_out;
  io_->socket.async_connect({address, server.port}, [&](const asio::error_code& error) {
    result = error;
    done = true;
  });
  if (!io_->run_until(done, deadline))
    throw std::runtime_error("connect to " + server.to_string() + " did not complete in time");
  if (result) throw std::runtime_error("connect to " + server.to_string() + ": " + result.message());
  local_ = to_address(io_->socket.local_endpoint());
  remote_ = to_address(io_->socket.remote_endpoint());
}

void TestClient::send(const std::string& data, Clock::time_point deadline) {
  bool done = false;
  asio::error_code result;
  asio::async_write(io_->socket, asio::buffer(data), [&](const asio::error_code& error, std::size_t) {
    result = error;
    done = true;
  });
  if (!io_->run_until(done, deadline)) throw std::runtime_error("client send did not complete in time");
  if (result) throw std::runtime_error("client send: " + result.message());
}

std::string TestClient::receive(std::size_t count, Clock::time_point deadline) {
  std::string data(count, '\0');
  bool done = false;
  std::size_t received = 0;
  asio::async_read(io_->socket, asio::buffer(data), [&](const asio::error_code&, std::size_t n) {
    received = n;
    done = true;
  });
  io_->run_until(done, deadline);
  data.resize(received);
  return data;
}

void TestClient::close() {
  asio::error_code ignored;
  io_->socket.close(ignored);
}

bool loopback_ipv6_available() {
  asio::io_context context;
  asio::ip::tcp::acceptor acceptor(context);
  asio::error_code error;
  acceptor.open(asio::ip::tcp::v6(), error);
  if (!error) acceptor.bind({asio::ip::address_v6::loopback(), 0}, error);
  return !error;
}

}  // namespace ea::harness
