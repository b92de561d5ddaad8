"""Race amplification: --explore runs a race case with one seed after the
other until a run fails and records that seed; --seed replays exactly that
run. Checked against a fixture whose bug only some seeds expose, so the
verdicts here do not depend on scheduling."""

import json
import tempfile
import unittest
from pathlib import Path

from harness_support import ROOT, accept_case, run_runner, runner_missing_reason, write_cases_dir

FIXTURE = ROOT / "tests" / "fixtures" / "hostile" / "seed-dependent"


@unittest.skipIf(runner_missing_reason(), runner_missing_reason())
class ExplorationTest(unittest.TestCase):

    def setUp(self):
        self.scratch = Path(tempfile.mkdtemp(prefix="endaccept-explore-"))
        race = accept_case("fixture/race")
        race["race"] = True
        self.cases = write_cases_dir(self.scratch / "cases", {"race.json": [race, accept_case("fixture/calm")]})

    def run_with(self, *options):
        report_path = self.scratch / f"report-{len(list(self.scratch.glob('report-*')))}.json"
        run = run_runner(FIXTURE, self.cases, report_path, *options)
        self.assertIn(run.code, (0, 1), run.describe())
        results = {r["case_id"]: r for r in json.loads(report_path.read_text())["results"]}
        return run, results

    def test_exploration_stops_at_the_first_failing_seed_and_records_it(self):
        run, results = self.run_with("--explore", "8", "--seed", "100")
        race = results["fixture/race"]
        self.assertEqual(race["status"], "FAIL", race)
        self.assertEqual(race["seed"], 103)
        self.assertEqual(race["explored_runs"], 4)
        self.assertIn("seed 103", race["message"])
        self.assertEqual(run.code, 1)

    def test_the_recorded_seed_replays_the_failure_and_a_neighbour_passes(self):
        _, replayed = self.run_with("--seed", "103")
        self.assertEqual(replayed["fixture/race"]["status"], "FAIL")
        self.assertEqual(replayed["fixture/race"]["seed"], 103)
        self.assertEqual(replayed["fixture/race"]["explored_runs"], 1)
        _, neighbour = self.run_with("--seed", "104")
        self.assertEqual(neighbour["fixture/race"]["status"], "PASS")

    def test_only_race_cases_are_explored_and_nothing_is_seeded_by_default(self):
        _, explored = self.run_with("--explore", "8", "--seed", "100")
        self.assertEqual(explored["fixture/calm"]["status"], "PASS")
        self.assertNotIn("seed", explored["fixture/calm"])
        _, plain = self.run_with()
        self.assertEqual(plain["fixture/race"]["status"], "PASS")
        self.assertNotIn("seed", plain["fixture/race"])

    def test_bad_values_are_usage_errors(self):
        for options in (["--explore", "0"], ["--explore", "many"], ["--seed", "-1"], ["--seed", "1" * 20]):
            with self.subTest(options=options):
                run = run_runner(FIXTURE, self.cases, self.scratch / "never.json", *options)
                self.assertEqual(run.code, 2, run.describe())
                self.assertFalse((self.scratch / "never.json").exists())


if __name__ == "__main__":
    unittest.main()
