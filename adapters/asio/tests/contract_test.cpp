// The contract test kit against the Asio reference.
#include "endaccept/asio_ref/socket.hpp"
#include "endaccept/contract_kit/kit.hpp"

// A receive woken by Close ends with Asio's operation_aborted, which the
// reference reports as the socket being disposed. Close wakes a blocked
// EndAccept at once and completes the accept when Asio reports it aborted,
// on a worker thread.
ENDACCEPT_CONTRACT_KIT(ea::contract_kit::Kind{
    .name = "asio",
    .make_socket = &ea::asio_ref::make_socket,
    .receive_woken_by_close = ea::contract_kit::ReceiveWokenByClose::object_disposed,
    .close_completes_before_waking_end_accept = false});
