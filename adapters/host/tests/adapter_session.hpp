#pragma once
// Drives an Adapter one request at a time, as the harness does.
#include <gtest/gtest.h>

#include <string>

#include "endaccept/host/adapter.hpp"
#include "endaccept/host/protocol_loop.hpp"

namespace ea::test {

using host::Json;

class AdapterSession {
 public:
  explicit AdapterSession(host::Adapter& adapter) : adapter_(adapter) {}

  // The whole reply.
  Json request(const std::string& op, Json args) {
    const Json request{{"id", ++id_}, {"op", op}, {"args", std::move(args)}};
    Json reply = Json::parse(host::handle_request_line(adapter_, request.dump()));
    EXPECT_EQ(reply.at("id"), id_);
    return reply;
  }

  // The result of a request that must succeed.
  Json call(const std::string& op, Json args) {
    Json reply = request(op, std::move(args));
    EXPECT_EQ(reply.at("ok"), true) << reply.dump();
    return reply.value("result", Json::object());
  }

 private:
  host::Adapter& adapter_;
  int id_ = 0;
};

}  // namespace ea::test
