"""The generated files are current: cases/case.schema.json and
cases/STEPS.md (from the step declarations), spec/VOCABULARY.md and the
vocabulary of the report schema (from spec/vocabulary.json). Regenerate with
`python3 run_conformance.py --generate`."""

import unittest

import report_fixtures  # noqa: F401  (puts the package on sys.path)
from harness_support import BUILD_DIR, runner_missing_reason
from conformance.views import generated
from conformance.paths import relative


class GeneratedFilesTest(unittest.TestCase):

    @unittest.skipIf(runner_missing_reason(), runner_missing_reason())
    def test_every_generated_file_is_current(self):
        stale = [relative(path) for path in generated.stale(BUILD_DIR)]
        self.assertEqual(stale, [], "stale: run python3 run_conformance.py --generate")

    def test_the_vocabulary_page_names_every_status_and_outcome(self):
        from conformance.model.vocabulary import STATUSES, vocabulary
        text = generated.vocabulary_markdown()
        for status in STATUSES:
            self.assertIn(f"`{status}`", text)
        for outcome in vocabulary()["outcomes"]:
            self.assertIn(outcome["kind"], text)


if __name__ == "__main__":
    unittest.main()
