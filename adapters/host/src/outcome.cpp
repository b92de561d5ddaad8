#include "endaccept/host/outcome.hpp"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <typeinfo>

#include "endaccept/apm/exceptions.hpp"
#include "endaccept/apm/wsa_error.hpp"

namespace ea::host {
namespace {

std::string type_name(const std::type_info& type) {
  int status = 0;
  std::unique_ptr<char, decltype(&std::free)> demangled(
      abi::__cxa_demangle(type.name(), nullptr, nullptr, &status), &std::free);
  return status == 0 && demangled ? demangled.get() : type.name();
}

Json exception_outcome(const char* kind, const std::exception& exception) {
  return {{"kind", kind}, {"type", type_name(typeid(exception))}, {"message", exception.what()}};
}

}  // namespace

Json returned_outcome() { return {{"kind", "Returned"}}; }

Json socket_outcome() { return {{"kind", "Socket"}}; }

Json outcome_from_exception(std::exception_ptr exception) {
  // Catch clauses run in order, so every subclass comes before its base.
  try {
    std::rethrow_exception(exception);
  } catch (const apm::ArgumentNullException& e) {
    return exception_outcome("ArgumentNull", e);
  } catch (const apm::ArgumentException& e) {
    return exception_outcome("Argument", e);
  } catch (const apm::ObjectDisposedException& e) {
    return exception_outcome("ObjectDisposed", e);
  } catch (const apm::InvalidOperationException& e) {
    return exception_outcome("InvalidOperation", e);
  } catch (const apm::NotSupportedException& e) {
    return exception_outcome("NotSupported", e);
  } catch (const apm::SocketException& e) {
    Json outcome = exception_outcome("SocketError", e);
    outcome["code"] = e.error_code();
    outcome["message"] = std::string(apm::wsa_error_name(e.error_code())) + ": " + e.what();
    return outcome;
  } catch (const std::exception& e) {
    return exception_outcome("Other", e);
  } catch (...) {
    return {{"kind", "Other"}, {"type", "unknown (not a std::exception)"}};
  }
}

}  // namespace ea::host
