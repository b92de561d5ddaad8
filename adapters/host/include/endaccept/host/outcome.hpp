#pragma once
// Outcome objects (spec/outcomes.md): what a call into the implementation did.
#include <exception>
#include <utility>

#include "endaccept/host/adapter.hpp"

namespace ea::host {

Json returned_outcome();
Json socket_outcome();

// Maps an exception to the most specific outcome kind; anything outside the
// contract's exception types is "Other" with its C++ type name.
Json outcome_from_exception(std::exception_ptr exception);

// Runs `call`; "Returned" unless it throws.
template <class Call>
Json outcome_of(Call&& call) {
  try {
    std::forward<Call>(call)();
    return returned_outcome();
  } catch (...) {
    return outcome_from_exception(std::current_exception());
  }
}

}  // namespace ea::host
