#pragma once
// Everything the adapter has named or must keep alive, shared by the request
// thread, background tasks and callbacks.
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "callback_recorder.hpp"
#include "endaccept/apm/socket.hpp"
#include "names.hpp"
#include "socket_reader.hpp"
#include "task.hpp"

namespace ea::host {

// The fresh object behind `"state": {"object": label}`.
struct StateObject {
  std::string label;
};

class Registry {
 public:
  NameTable<std::shared_ptr<apm::Socket>> sockets{"socket"};
  NameTable<std::shared_ptr<apm::AsyncResult>> results{"result"};
  NameTable<std::shared_ptr<CallbackRecorder>> recorders{"result"};  // by result name
  NameTable<std::shared_ptr<Task>> tasks{"task"};
  NameTable<std::shared_ptr<void>> state_objects{"state object"};

  // An AsyncState as spec "Identity of AsyncState" describes it.
  Json describe(const apm::State& state) const;

  // The reader of `socket`, created on first use.
  std::shared_ptr<SocketReader> reader_for(const std::shared_ptr<apm::Socket>& socket);
  std::shared_ptr<SocketReader> existing_reader(const apm::Socket& socket) const;

  // An object that must live as long as the adapter without having a name.
  void keep_alive(std::shared_ptr<void> object);

 private:
  mutable std::mutex mutex_;
  std::map<const apm::Socket*, std::shared_ptr<SocketReader>> readers_;
  std::vector<std::shared_ptr<void>> kept_alive_;
};

}  // namespace ea::host
