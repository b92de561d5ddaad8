"""docs/CONTRACT.md is executable documentation: it must equal what
`run_conformance.py --docs` generates now (so a changed clause, case or
snapshot without regenerated docs fails here), generation is deterministic,
and every step op of the case vocabulary reads as a sentence."""

import copy
import tempfile
import unittest
from pathlib import Path

from report_fixtures import make_report, make_result

from conformance.views.contract_docs import CONTRACT, contract_markdown, load_snapshot
from conformance.model.catalog import load_catalog, step_ops
from conformance.views.step_words import OPS, step_words

REGENERATE = "python3 run_conformance.py --docs"


class CommittedDocsTest(unittest.TestCase):

    def test_committed_contract_is_up_to_date(self):
        self.assertTrue(CONTRACT.exists(), f"docs/CONTRACT.md is missing: run {REGENERATE}")
        committed = CONTRACT.read_text(encoding="utf-8")
        generated = contract_markdown(load_catalog(), load_snapshot())
        if committed != generated:
            pairs = zip(committed.splitlines() + [""], generated.splitlines() + [""])
            changed = next(i for i, (a, b) in enumerate(pairs) if a != b)
            self.fail(f"docs/CONTRACT.md is stale (first difference at line {changed + 1}): run {REGENERATE}")

    def test_generation_is_deterministic(self):
        catalog, snapshot = load_catalog(), load_snapshot()
        self.assertEqual(contract_markdown(catalog, snapshot), contract_markdown(catalog, snapshot))


class StalenessDetectionTest(unittest.TestCase):
    """The check above would catch edits: a changed clause, case or snapshot
    changes the output."""

    def setUp(self):
        self.catalog = load_catalog()
        self.base = contract_markdown(self.catalog, {})

    def test_a_changed_clause_statement_changes_the_docs(self):
        edited = copy.deepcopy(self.catalog)
        edited.clauses[0]["statement"] += " Also on Tuesdays."
        self.assertNotEqual(contract_markdown(edited, {}), self.base)

    def test_a_new_step_changes_the_docs(self):
        edited = copy.deepcopy(self.catalog)
        edited.cases[0]["steps"].append({"op": "close", "socket": "L"})
        self.assertNotEqual(contract_markdown(edited, {}), self.base)

    def test_snapshot_results_appear_per_adapter_only_with_a_snapshot(self):
        self.assertNotIn("Results:", self.base)
        first, second = self.catalog.cases[0]["id"], self.catalog.cases[1]["id"]
        snapshot = {"fake": make_report("fake", [make_result(first), make_result(second, "FAIL")])}
        text = contract_markdown(self.catalog, snapshot)
        self.assertIn("Results: fake \u2713 PASS", text)
        self.assertIn("Results: fake \u2717 FAIL, expected PASS (step 3: expected Socket", text)
        self.assertIn("| Clause | Level | Title | Cases | fake |", text)

    def test_snapshot_directory_is_read_sorted_and_validated(self):
        with tempfile.TemporaryDirectory() as scratch:
            import json
            for name in ("zeta", "alpha"):
                (Path(scratch) / f"{name}.json").write_text(json.dumps(make_report(name, [make_result("a/b")])))
            self.assertEqual(list(load_snapshot(Path(scratch))), ["alpha", "zeta"])
            self.assertEqual(load_snapshot(Path(scratch) / "absent"), {})


class ClauseAndCaseContentTest(unittest.TestCase):

    def setUp(self):
        self.catalog = load_catalog()
        self.text = contract_markdown(self.catalog, {})

    def test_every_clause_and_case_is_documented(self):
        for clause in self.catalog.clauses:
            self.assertIn(f"## {clause['id']}: ", self.text)
            self.assertIn(f"**{clause['level']}** \u00b7 source section: ", self.text)
            if clause.get("rationale"):
                self.assertIn(f"Why {clause['level']}, not stated outright:", self.text)
        for case in self.catalog.cases:
            self.assertEqual(self.text.count(f"### `{case['id']}`:"), 1, case["id"])

    def test_steps_read_as_words(self):
        self.assertIn("EndAccept on L with r1 \u2192 returns a socket (a1)", self.text)
        self.assertNotIn("'op'", self.text)


class StepWordsTest(unittest.TestCase):

    def test_every_op_of_the_case_schema_has_a_renderer(self):
        self.assertEqual(set(step_ops()) - OPS, set())

    def test_every_step_of_every_case_renders_without_falling_back(self):
        for case in load_catalog().cases:
            for index, step in enumerate(case["steps"]):
                words = step_words(step)
                with self.subTest(case=case["id"], step=index):
                    self.assertNotIn("incomplete step", words)
                    self.assertFalse(words.startswith(step["op"] + "("), words)

    def test_examples(self):
        examples = {
            '{"op":"end_accept","socket":"L","result":"r1","as":"a1","expect":"Socket"}':
                "EndAccept on L with r1 \u2192 returns a socket (a1)",
            '{"op":"end_accept","socket":"L","result":null,"expect":"ArgumentNull"}':
                "EndAccept on L with a null result \u2192 throws ArgumentNullException",
            '{"op":"end_accept","socket":"L","result":"r1","expect":"SocketError(10024)"}':
                "EndAccept on L with r1 \u2192 throws SocketException with ErrorCode 10024 (WSAEMFILE)",
            '{"op":"end_accept","socket":"L","result":"r1","in_background":"t1"}':
                "EndAccept on L with r1, on another thread as task t1",
            '{"op":"expect_blocked","task":"t1","hold_ms":250}': "Task t1 is still blocked after 250 ms",
            '{"op":"await","task":"t1","expect":"ObjectDisposed","within_ms":900}':
                "Task t1 finishes within 900 ms and throws ObjectDisposedException",
            '{"op":"expect_wait_handle","result":"r1","signalled":false}':
                "r1's AsyncWaitHandle stays unsignalled for 100 ms",
            '{"op":"expect_callback","result":"r1","calls":0}': "r1's callback does not run (watched for 100 ms)",
            '{"op":"listen","socket":"L","family":"ipv6","backlog":4}': "L listens on loopback (IPv6, ::1), backlog 4",
            '{"op":"set_tracing","enabled":false}': "Switch the implementation's network tracing off",
            '{"op":"teleport","to":"moon"}': "teleport(to='moon')",
        }
        import json
        for step, words in examples.items():
            self.assertEqual(step_words(json.loads(step)), words)


if __name__ == "__main__":
    unittest.main()
