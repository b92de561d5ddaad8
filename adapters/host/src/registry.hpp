#pragma once
// Everything the adapter has named or must keep alive, shared by the request
// thread, background tasks and callbacks.
#include <atomic>
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

// The fresh object behind `"state": {"object": label}`. It carries its own
// label, so that it is described by reading the object the implementation
// hands back, even after the adapter forgot it (forget_state).
struct StateObject {
  std::string label;
};

class Registry {
 public:
  NameTable<std::shared_ptr<apm::Socket>> sockets{"socket"};
  NameTable<std::shared_ptr<apm::AsyncResult>> results{"result"};
  NameTable<std::shared_ptr<CallbackRecorder>> recorders{"result"};  // by result name
  NameTable<std::shared_ptr<Task>> tasks{"task"};
  // Gates of parked tasks (end_accept with park), until release_tasks opens them.
  NameTable<std::shared_ptr<StartGate>> gates{"parked task"};
  // The adapter's only strong reference to each state object; forget_state
  // erases it.
  NameTable<std::shared_ptr<StateObject>> state_objects{"state object"};

  // A fresh state object labelled `label`, named in state_objects.
  std::shared_ptr<StateObject> make_state_object(const std::string& label);

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
  // Every state object made, held weakly: how describe() recognises one.
  std::vector<std::weak_ptr<StateObject>> made_states_;
};

}  // namespace ea::host
