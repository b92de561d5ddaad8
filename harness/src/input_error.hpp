#pragma once
// A problem with the suite's own input (case files, catalog, expectations,
// command line). Reported as "file: pointer: reason" with exit status 2.
#include <stdexcept>
#include <string>

namespace ea::harness {

class InputError : public std::runtime_error {
 public:
  InputError(std::string file, std::string pointer, std::string reason)
      : std::runtime_error(file + ": " + (pointer.empty() ? "/" : pointer) + ": " + reason),
        file_(std::move(file)),
        pointer_(std::move(pointer)),
        reason_(std::move(reason)) {}

  const std::string& file() const { return file_; }
  const std::string& pointer() const { return pointer_; }
  const std::string& reason() const { return reason_; }

 private:
  std::string file_;
  std::string pointer_;
  std::string reason_;
};

}  // namespace ea::harness
