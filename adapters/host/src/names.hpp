#pragma once
// The harness names every object it asks for; one table per kind of object.
// Tables are shared with callbacks and background tasks, hence the lock.
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "endaccept/host/request_error.hpp"

namespace ea::host {

// ^[A-Za-z][A-Za-z0-9_-]{0,31}$
bool is_valid_name(std::string_view name) noexcept;

template <class Pointer>
class NameTable {
 public:
  explicit NameTable(std::string kind) : kind_(std::move(kind)) {}

  void put(const std::string& name, Pointer value) {
    std::lock_guard lock(mutex_);
    entries_[name] = std::move(value);
  }

  Pointer get(const std::string& name) const {
    if (auto value = find(name)) return *value;
    throw RequestError(ErrorCode::unknown_name, "no " + kind_ + " named " + name);
  }

  std::optional<Pointer> find(const std::string& name) const {
    std::lock_guard lock(mutex_);
    const auto entry = entries_.find(name);
    if (entry == entries_.end()) return std::nullopt;
    return entry->second;
  }

  // Drops the entry; false when there was none. The value is released
  // outside the lock.
  bool erase(const std::string& name) {
    Pointer dropped;
    {
      std::lock_guard lock(mutex_);
      const auto entry = entries_.find(name);
      if (entry == entries_.end()) return false;
      dropped = std::move(entry->second);
      entries_.erase(entry);
    }
    return true;
  }

  // The entry holding this very object (identity, not value).
  std::optional<std::pair<std::string, Pointer>> find_object(const void* object) const {
    std::lock_guard lock(mutex_);
    for (const auto& [name, value] : entries_) {
      if (static_cast<const void*>(value.get()) == object) return std::pair{name, value};
    }
    return std::nullopt;
  }

 private:
  std::string kind_;
  mutable std::mutex mutex_;
  std::map<std::string, Pointer> entries_;
};

}  // namespace ea::host
