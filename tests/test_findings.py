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

    def test_the_since_of_every_versioned_expectation_is_what_the_history_shows(self):
        for path, text in findings.expectations_with_since(findings.snapshot_reports()).items():
            with self.subTest(path=str(path)):
                self.assertEqual(path.read_text(encoding="utf-8"), text,
                                 f"{path}: 'since' is stale: run python3 run_conformance.py --findings")

    def test_evidence_links_are_permalinks(self):
        for name in findings.real_implementations():
            path = ROOT / "adapters" / name / "expectations.json"
            if not path.exists():
                continue
            for case_id, entry in read_json(path)["expectations"].items():
                evidence = entry.get("evidence", "")
                with self.subTest(adapter=name, case=case_id):
                    self.assertTrue(evidence.startswith("https://"), "every expectation links its evidence")
                    if "/blob/" in evidence or "/tree/" in evidence:
                        ref = evidence.split("/blob/" if "/blob/" in evidence else "/tree/")[1].split("/")[0]
                        self.assertNotIn(ref, ("main", "master", "HEAD"), "a link to a moving branch")

    def test_every_deviation_in_the_snapshot_has_an_expectation_with_a_reason(self):
        for name in findings.real_implementations():
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
        for name in findings.real_implementations():
            snapshot = findings.SNAPSHOT / f"{name}.json"
            if snapshot.exists():
                adapter = read_json(snapshot)["adapter"]
                self.assertRegex(adapter["implementation"], r"\d+\.\d+", name)
                self.assertTrue(adapter.get("runtime"), name)


if __name__ == "__main__":
    unittest.main()
