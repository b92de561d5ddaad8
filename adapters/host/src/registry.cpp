#include "registry.hpp"

#include <sstream>

namespace ea::host {

Json Registry::describe(const apm::State& state) const {
  if (!state) return nullptr;
  if (auto socket = sockets.find_object(state.get())) return {{"socket", socket->first}};
  {
    std::lock_guard lock(mutex_);
    for (const auto& made : made_states_) {
      const auto object = made.lock();
      if (object && static_cast<const void*>(object.get()) == state.get()) return {{"object", object->label}};
    }
  }
  std::ostringstream text;
  text << "object at " << state.get();
  return {{"unknown", text.str()}};
}

std::shared_ptr<StateObject> Registry::make_state_object(const std::string& label) {
  auto object = std::make_shared<StateObject>(StateObject{label});
  {
    std::lock_guard lock(mutex_);
    std::erase_if(made_states_, [](const auto& made) { return made.expired(); });
    made_states_.push_back(object);
  }
  state_objects.put(label, object);
  return object;
}

std::shared_ptr<SocketReader> Registry::reader_for(const std::shared_ptr<apm::Socket>& socket) {
  std::lock_guard lock(mutex_);
  auto& reader = readers_[socket.get()];
  if (!reader) reader = std::make_shared<SocketReader>(socket);
  return reader;
}

std::shared_ptr<SocketReader> Registry::existing_reader(const apm::Socket& socket) const {
  std::lock_guard lock(mutex_);
  const auto reader = readers_.find(&socket);
  return reader == readers_.end() ? nullptr : reader->second;
}

void Registry::keep_alive(std::shared_ptr<void> object) {
  std::lock_guard lock(mutex_);
  kept_alive_.push_back(std::move(object));
}

}  // namespace ea::host
