// The contract test kit against the posix implementation.
#include "endaccept/contract_kit/kit.hpp"
#include "endaccept/posix_impl/socket.hpp"

ENDACCEPT_CONTRACT_KIT(ea::contract_kit::Kind{.name = "posix", .make_socket = &ea::posix_impl::Socket::open});
