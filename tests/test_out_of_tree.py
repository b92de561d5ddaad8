"""The suite as a package for C++ implementers: the CI recipe
(docs/ci/run-suite.sh, the very script the GitHub Actions workflow runs)
installs the suite into a fresh prefix, builds examples/out-of-tree/ against
it with find_package, and runs the whole suite through the example's CTest;
the example needs at most five lines of suite-specific CMake; a project
that adds the suite's sources (add_subdirectory, FetchContent) gets none of
the suite's own tests and none of its install rules."""

import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

import report_fixtures  # noqa: F401  (puts the package on sys.path)
from harness_support import BUILD_DIR, ROOT, runner_missing_reason

RECIPE = ROOT / "docs" / "ci" / "run-suite.sh"
WORKFLOW = ROOT / "docs" / "ci" / "github-actions.yml"
EXAMPLE = ROOT / "examples" / "out-of-tree"
# Installing, building the example and running the suite: minutes on a loaded two-core machine.
RECIPE_LIMIT_S = 1800
CMAKE_MISSING = None if shutil.which("cmake") else "cmake is not installed: the package cannot be built"


def suite_cases() -> set:
    from conformance.model.catalog import load_catalog
    return {case["id"] for case in load_catalog().cases}


@unittest.skipIf(CMAKE_MISSING, CMAKE_MISSING)
class CiRecipeTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.work = Path(tempfile.mkdtemp(prefix="endaccept-recipe-"))
        cls.prefix = Path(tempfile.mkdtemp(prefix="ea-prefix-"))
        cls.summary = cls.work / "step-summary.md"
        env = dict(os.environ, ENDACCEPT_WORK=str(cls.work / "ci"), ENDACCEPT_PREFIX=str(cls.prefix),
                   GITHUB_STEP_SUMMARY=str(cls.summary), NO_COLOR="1")
        # The suite's own build, when there is one, is installed as it is
        # (building the suite afresh is the recipe's default and CI's).
        if not runner_missing_reason():
            env["ENDACCEPT_SUITE_BUILD"] = str(BUILD_DIR)
        cls.recipe = subprocess.run(["bash", str(RECIPE), str(EXAMPLE)], cwd=cls.work, env=env, capture_output=True,
                                 text=True, timeout=RECIPE_LIMIT_S)
        # One directory per registered test's adapter.
        cls.reports = cls.work / "ci" / "reports" / "mylib-adapter"

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.work, ignore_errors=True)
        shutil.rmtree(cls.prefix, ignore_errors=True)

    def describe(self):
        return f"exit status {self.recipe.returncode}\n{self.recipe.stdout[-4000:]}\n{self.recipe.stderr[-4000:]}"

    def test_the_recipe_passes_and_runs_every_case_against_the_example(self):
        self.assertEqual(self.recipe.returncode, 0, self.describe())
        report = json.loads((self.reports / "mylib-adapter.json").read_text())
        self.assertEqual({r["case_id"] for r in report["results"]}, suite_cases(), "not the whole suite")
        self.assertEqual(report["summary"]["unexpected"], 0)
        self.assertEqual(report["adapter"]["implementation"],
                         "mylib (the endaccept Asio reference, built out of tree)")
        for name in ("mylib-adapter.junit.xml", "summary.md", "index.html"):
            self.assertTrue((self.reports / name).is_file(), name)

    def test_the_summary_goes_into_the_job_summary(self):
        self.assertEqual(self.summary.read_text(), (self.reports / "summary.md").read_text())

    def test_the_example_runs_from_the_fresh_prefix_not_from_the_checkout(self):
        tests = subprocess.run(["ctest", "--test-dir", str(self.work / "ci" / "build"), "--show-only=json-v1"],
                               capture_output=True, text=True, check=True)
        listed = json.loads(tests.stdout)["tests"]
        self.assertEqual([t["name"] for t in listed], ["conformance.mylib-adapter"])
        command = listed[0]["command"]
        self.assertTrue(any(part.startswith(str(self.prefix)) and part.endswith("run_conformance.py")
                            for part in command), command)
        self.assertFalse(any(str(ROOT) in part for part in command), f"the test uses the checkout: {command}")
        self.assertTrue((self.prefix / "lib" / "cmake" / "endaccept-conformance" /
                         "endaccept-conformance-config-version.cmake").is_file())

    def test_the_installed_driver_works_from_the_prefix_and_builds_nothing(self):
        driver = self.prefix / "share" / "endaccept-conformance" / "run_conformance.py"
        elsewhere = Path(tempfile.mkdtemp(prefix="endaccept-installed-"))
        listed = subprocess.run(["python3", str(driver), "--list-cases"], cwd=elsewhere, capture_output=True,
                                text=True)
        self.assertEqual(listed.returncode, 0, listed.stderr)
        self.assertIn(f"{len(suite_cases())} cases", listed.stdout)
        adapters = subprocess.run(["python3", str(driver), "--list-adapters"], cwd=elsewhere, capture_output=True,
                                  text=True)
        self.assertIn("--adapter-dir", adapters.stdout)
        refused = subprocess.run(["python3", str(driver), "--self-test"], cwd=elsewhere, capture_output=True,
                                 text=True)
        self.assertEqual(refused.returncode, 2, refused.stderr)
        self.assertNotIn("Traceback", refused.stderr)
        self.assertEqual(list(elsewhere.iterdir()), [], "the installed driver wrote where it was not asked to")

    def test_the_workflow_runs_the_recipe(self):
        # One source of the steps: the workflow calls the script; it repeats none of them.
        workflow = WORKFLOW.read_text()
        self.assertIn("docs/ci/run-suite.sh", workflow)
        for step in ("cmake --install", "ctest", "GITHUB_STEP_SUMMARY"):
            self.assertIn(step, RECIPE.read_text())
            self.assertNotIn(step, "\n".join(l for l in workflow.splitlines() if not l.lstrip().startswith("#")))


class ExampleTest(unittest.TestCase):

    def test_the_example_has_at_most_five_suite_specific_lines(self):
        lines = [line.strip() for line in (EXAMPLE / "CMakeLists.txt").read_text().splitlines()
                 if line.strip() and not line.strip().startswith("#")]
        specific = [line for line in lines if re.search(r"endaccept", line, re.I)]
        self.assertLessEqual(len(specific), 5, specific)
        self.assertTrue(any(line.startswith("find_package(endaccept-conformance") for line in specific))


@unittest.skipIf(CMAKE_MISSING, CMAKE_MISSING)
class SubprojectTest(unittest.TestCase):

    def test_a_project_that_adds_the_suites_sources_gets_only_its_own_test(self):
        project = Path(tempfile.mkdtemp(prefix="endaccept-subproject-"))
        (project / "CMakeLists.txt").write_text(f"""cmake_minimum_required(VERSION 3.25)
project(consumer LANGUAGES CXX)
set(CMAKE_CXX_STANDARD 20)
enable_testing()
add_subdirectory({ROOT} endaccept)
add_executable(mylib-adapter {EXAMPLE / "adapter.cpp"})
target_link_libraries(mylib-adapter PRIVATE endaccept::adapter_host endaccept::asio_ref)
endaccept_add_conformance_test(TARGET mylib-adapter)
""")
        build = project / "build"
        configured = subprocess.run(["cmake", "-S", str(project), "-B", str(build)], capture_output=True, text=True)
        self.assertEqual(configured.returncode, 0, configured.stdout[-3000:] + configured.stderr[-3000:])
        tests = subprocess.run(["ctest", "--test-dir", str(build), "--show-only=json-v1"], capture_output=True,
                               text=True, check=True)
        listed = json.loads(tests.stdout)["tests"]
        self.assertEqual([t["name"] for t in listed], ["conformance.mylib-adapter"])
        command = listed[0]["command"]
        # The driver from the sources, the runner from the subproject's build tree.
        self.assertIn(str(ROOT / "run_conformance.py"), command)
        self.assertIn(str(build / "endaccept"), command)
        self.assertNotIn("endaccept-conformance-targets", (build / "endaccept" / "cmake_install.cmake").read_text(),
                         "the consumer's install would install the suite")


if __name__ == "__main__":
    unittest.main()
