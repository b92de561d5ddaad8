"""The wide mutation gate (every mutant's runner at once, their cases on one
shared bound of --jobs slots) reaches the same kill matrix as the serial gate
(--jobs 1: one mutant after the other, one case at a time). The comparison is
restricted to a few mutants through EA_GATE_MUTANTS, one of them killed only
by a TIMEOUT (the slowest kind of kill, waited out while other cases run),
and both gates explore race cases from the same seed.

Runs never build (--no-build) and write into temporary directories."""

import json
import tempfile
import unittest
from pathlib import Path

from harness_support import BUILD_DIR, NEVER_HANGS_S, run_conformance, runner_missing_reason

ASIO = BUILD_DIR / "adapters" / "asio" / "endaccept-adapter-asio"
POSIX = BUILD_DIR / "adapters" / "posix" / "endaccept-adapter-posix"
# One crash, one plain failure, one kill by TIMEOUT only (adapters/posix/mutants.md).
MUTANTS = ["asio:crash-on-foreign", "posix:emfile-reserve-drops-connection", "asio:callback-twice"]
TIMEOUT_KILLED = "posix:emfile-reserve-drops-connection"
SEED = "12345"


def skip_reason():
    if runner_missing_reason():
        return runner_missing_reason()
    for binary in (ASIO, POSIX):
        if not binary.exists():
            return f"{binary} is not built"
    return None


@unittest.skipIf(skip_reason(), skip_reason())
class WideGateTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.scratch_dir = tempfile.TemporaryDirectory(prefix="endaccept-wide-gate-")
        scratch = Path(cls.scratch_dir.name)
        cls.gates = {}
        for name, jobs in (("serial", ["--jobs", "1"]), ("wide", [])):
            run = run_conformance("--no-build", "--build-dir", BUILD_DIR, "--report-dir", scratch / name,
                                  "--mutants", "--seed", SEED, *jobs, env={"EA_GATE_MUTANTS": ",".join(MUTANTS)})
            summary = scratch / name / "mutants.json"
            cls.gates[name] = (run, json.loads(summary.read_text()) if summary.exists() else None)

    @classmethod
    def tearDownClass(cls):
        cls.scratch_dir.cleanup()

    def matrix(self, name):
        run, summary = self.gates[name]
        self.assertLess(run.elapsed_s, NEVER_HANGS_S * 5, run.describe())
        self.assertIsNotNone(summary, f"the {name} gate wrote no mutants.json\n" + run.describe())
        self.assertEqual(sorted(summary["matrix"]), sorted(MUTANTS), run.describe())
        return {label: (sorted(row["killed_by"]), row["statuses"]) for label, row in summary["matrix"].items()}

    def test_every_chosen_mutant_is_killed_by_the_serial_gate(self):
        for label, (killers, _) in self.matrix("serial").items():
            self.assertTrue(killers, f"{label} survived the serial gate: pick another mutant")

    def test_one_chosen_mutant_is_killed_by_timeout_only(self):
        _, statuses = self.matrix("serial")[TIMEOUT_KILLED]
        self.assertEqual(set(statuses.values()), {"TIMEOUT"}, statuses)

    def test_the_wide_gate_kills_the_same_mutants_with_the_same_cases_and_statuses(self):
        self.assertEqual(self.matrix("wide"), self.matrix("serial"))

    def test_the_wide_gate_gives_the_same_exit_status_and_tables(self):
        serial, wide = self.gates["serial"][0], self.gates["wide"][0]
        self.assertEqual(wide.code, serial.code, wide.describe())
        for name in ("mutants_by_clause", "survivors", "sole_killers"):
            self.assertEqual(self.gates["wide"][1][name], self.gates["serial"][1][name], name)

    def test_the_gate_ends_each_case_at_its_first_deviation(self):
        # Its verdict is the first deviation's status, so a mutant's later
        # deadlines need not be waited out (test_observe_past_failure shows
        # that the status and message are the same).
        reports = sorted((Path(self.scratch_dir.name) / "wide" / "mutants").glob("*/*.json"))
        self.assertEqual(len(reports), len(MUTANTS), reports)
        for report in reports:
            options = json.loads(report.read_text())["run"]["options"]
            self.assertIs(options.get("first_deviation_only"), True, report)
            self.assertTrue(all(not r["later_deviations"] for r in json.loads(report.read_text())["results"]), report)


if __name__ == "__main__":
    unittest.main()
