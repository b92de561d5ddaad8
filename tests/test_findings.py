"""reports/FINDINGS.md is generated, never hand-edited: it must equal what the
generator makes from the committed snapshot and expectations."""

import sys
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "harness" / "python"))

from conformance.views import findings  # noqa: E402
from conformance.files import read_json  # noqa: E402


class FindingsAreCurrent(unittest.TestCase):
    def test_committed_findings_match_the_generator(self):
        committed = findings.FINDINGS.read_text(encoding="utf-8")
        self.assertEqual(committed, findings.render_findings(),
                         "reports/FINDINGS.md is stale: run python3 run_conformance.py --findings")

    def test_every_deviation_in_the_snapshot_has_an_expectation_with_a_reason(self):
        for name in findings.REAL_IMPLEMENTATIONS:
            snapshot = findings.SNAPSHOT / f"{name}.json"
            if not snapshot.exists():
                continue
            expectations = read_json(ROOT / "adapters" / name / "expectations.json")["expectations"]
            for result in read_json(snapshot)["results"]:
                if result["status"] in ("PASS", "SKIP") or result["level"] == "INFO":
                    continue
                with self.subTest(adapter=name, case=result["case_id"]):
                    self.assertIn(result["case_id"], expectations)
                    self.assertTrue(expectations[result["case_id"]]["reason"].strip())

    def test_the_snapshot_names_the_runtime_versions(self):
        for name in findings.REAL_IMPLEMENTATIONS:
            snapshot = findings.SNAPSHOT / f"{name}.json"
            if snapshot.exists():
                adapter = read_json(snapshot)["adapter"]
                self.assertRegex(adapter["implementation"], r"\d+\.\d+", name)
                self.assertTrue(adapter.get("runtime"), name)


if __name__ == "__main__":
    unittest.main()
