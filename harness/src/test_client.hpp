#pragma once
// The remote host of every case: a TCP client the harness itself drives
// (loopback only), each operation bounded by a deadline.
#include <memory>
#include <string>

#include "adapter_process.hpp"

namespace ea::harness {

struct Address {
  std::string ip;
  unsigned short port = 0;
  bool operator==(const Address&) const = default;
  std::string to_string() const;
};

class TestClient {
 public:
  TestClient();
  ~TestClient();
  TestClient(const TestClient&) = delete;
  TestClient& operator=(const TestClient&) = delete;

  // Throws std::runtime_error with the reason.
  void connect(const Address& server, Clock::time_point deadline);
  void send(const std::string& data, Clock::time_point deadline);
  // Reads exactly `count` bytes, or what arrived before EOF / the deadline.
  std::string receive(std::size_t count, Clock::time_point deadline);
  void close();

  Address local() const { return local_; }
  Address remote() const { return remote_; }

 private:
  struct Io;
  std::unique_ptr<Io> io_;
  Address local_;
  Address remote_;
};

bool loopback_ipv6_available();

}  // namespace ea::harness
