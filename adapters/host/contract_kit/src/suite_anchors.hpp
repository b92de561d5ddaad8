#pragma once
// Each test source of the kit defines one of these; link_every_suite() reads
// them all, which makes the linker keep every test object of the library.
namespace ea::contract_kit::anchor {

extern const int accept_tests;
extern const int refusal_tests;
extern const int callback_tests;
extern const int close_tests;
extern const int accepted_socket_tests;

}  // namespace ea::contract_kit::anchor
