"""The Python side of endaccept-conformance: builds, picks adapters, runs the
C++ judge (endaccept-conformance) for each and writes the reports. Standard
library only."""
