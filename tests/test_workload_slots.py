"""Pools sized from the workload (run/runner.py): every runner of an
invocation (an adapter of a run, a mutant of the gate) gets a pool of its
own. With --jobs, its share of them, in proportion to its last run's held
time. Without, as many concurrent cases as keep the pool from being what
the run waits for, judged from the last run's duration history (the mean
and longest least hold per case, and the CPU one case run cost, which the
runner records as cpu_ms_per_run); for a run of adapters, at least the
default split between them and at most MOST_SLOTS_PER_CORE per core in
all. Before a runner's first run, the default.

No test here asserts a time: the sizes are computed from given figures."""

import json
import tempfile
import unittest
from pathlib import Path

import report_fixtures  # noqa: F401  (puts the package on sys.path)
from harness_support import accept_case, private_fixture, run_runner, runner_missing_reason, write_cases_dir

from conformance.run.runner import (MOST_SLOTS_PER_CORE, PACKING, Workload, adapter_pools,  # noqa: E402
                                    default_slots, learned_workload, runners_at_once, slot_shares)


class AdapterPoolsTest(unittest.TestCase):

    def test_a_repeat_of_waiting_cases_gets_more_slots_than_the_default(self):
        # 58 cases of 250 ms on average, 4 ms of CPU each, the longest 6 s:
        # 100 repetitions hold 1450 s, more than 16 slots can spread over their 11.6 s CPU floor.
        [pool] = adapter_pools([Workload(runs=5800, held_ms=250, cpu_ms=4, longest_ms=6000)], cores=2)
        self.assertGreater(pool, default_slots())
        self.assertLessEqual(pool, MOST_SLOTS_PER_CORE * 2)

    def test_a_single_run_bound_by_its_longest_case_keeps_the_default(self):
        self.assertEqual(adapter_pools([Workload(runs=58, held_ms=250, cpu_ms=4, longest_ms=6000)], 2),
                         [default_slots()])

    def test_cpu_bound_work_is_not_given_more_slots(self):
        # As much CPU as held time: more slots would only queue for the cores.
        self.assertEqual(adapter_pools([Workload(runs=1000, held_ms=50, cpu_ms=50, longest_ms=100)], 2),
                         [default_slots()])

    def test_the_slots_follow_the_held_time_over_the_floor(self):
        # Floor: the CPU over the cores (40000 x 10 ms / 2 = 200 s) beats the longest case (6 s).
        [pool] = adapter_pools([Workload(runs=40000, held_ms=200, cpu_ms=10, longest_ms=6000)], 2)
        self.assertEqual(pool, PACKING * 40000 * 200 // 200000)

    def test_at_most_the_per_core_bound_in_all(self):
        huge = Workload(runs=10 ** 6, held_ms=6000, cpu_ms=0, longest_ms=6000)
        self.assertEqual(adapter_pools([huge], 2), [MOST_SLOTS_PER_CORE * 2])
        self.assertEqual(sum(adapter_pools([huge, huge, huge, huge], 2)), MOST_SLOTS_PER_CORE * 2)

    def test_the_default_is_split_between_adapters_but_never_below_the_cores(self):
        light = Workload(runs=58, held_ms=200, cpu_ms=4, longest_ms=6000)
        self.assertEqual(adapter_pools([light, light], 2), [default_slots() // 2] * 2)
        self.assertEqual(adapter_pools([light] * 64, 2), [2] * 64)

    def test_a_heavier_adapter_gets_more_of_the_slots(self):
        # Four adapters in one: the managed runtimes' cases hold their slots
        # about twice as long (process start, JIT), and get twice the pool.
        light = Workload(runs=59, held_ms=200, cpu_ms=4, longest_ms=6000)
        heavy = Workload(runs=59, held_ms=500, cpu_ms=100, longest_ms=6300)
        light_pool, heavy_pool = adapter_pools([light, heavy], 2)
        self.assertGreater(heavy_pool, light_pool)

    def test_with_jobs_the_pools_add_up_to_them_in_proportion_to_the_held_time(self):
        light = Workload(runs=59, held_ms=200, cpu_ms=4, longest_ms=6000)
        heavy = Workload(runs=59, held_ms=600, cpu_ms=100, longest_ms=6300)
        self.assertEqual(adapter_pools([light, heavy, light, heavy], 2, jobs=16), [2, 6, 2, 6])
        for jobs in range(4, 40):
            self.assertEqual(sum(adapter_pools([light, heavy, light, heavy], 2, jobs=jobs)), jobs, jobs)

    def test_without_a_learned_workload_for_every_runner_the_default(self):
        known = Workload(runs=5800, held_ms=250, cpu_ms=4, longest_ms=6000)
        self.assertEqual(adapter_pools([known, None], 2), [default_slots() // 2] * 2)
        self.assertEqual(adapter_pools([known, None], 2, jobs=7), [4, 3])
        self.assertEqual(adapter_pools([], 2), [])


class RunnersAtOnceTest(unittest.TestCase):

    def test_all_at_once_unless_there_are_fewer_jobs_than_runners(self):
        self.assertEqual([runners_at_once(48), runners_at_once(48, 100), runners_at_once(48, 6),
                          runners_at_once(8, 1)], [48, 48, 6, 1])


class SlotSharesTest(unittest.TestCase):
    """The mutation gate's runners: each gets a pool sized from its own
    last run, so that none is left to wait for another's."""

    def test_each_runner_gets_what_keeps_its_held_time_within_packing_of_the_floor(self):
        # Floor: the longest case, 10 s (CPU 2 x 58 x 5 ms over 2 cores is less).
        light = Workload(runs=58, held_ms=200, cpu_ms=5, longest_ms=6000)   # 11.6 s held
        heavy = Workload(runs=58, held_ms=2700, cpu_ms=5, longest_ms=10000)  # 156.6 s held
        self.assertEqual(slot_shares([light, heavy], cores=2, most=32), [3, 32])

    def test_at_least_one_and_at_most_the_bound(self):
        idle = Workload(runs=58, held_ms=0, cpu_ms=0, longest_ms=0)
        huge = Workload(runs=5800, held_ms=5000, cpu_ms=1, longest_ms=6000)
        self.assertEqual(slot_shares([idle, huge], cores=2, most=16), [1, 16])

    def test_with_a_total_it_is_split_in_proportion(self):
        one = Workload(runs=10, held_ms=100, cpu_ms=1, longest_ms=500)
        three = Workload(runs=10, held_ms=300, cpu_ms=1, longest_ms=500)
        self.assertEqual(slot_shares([one, three], cores=2, most=32, total=8), [2, 6])

    def test_with_a_total_the_shares_add_up_to_it_never_beyond(self):
        # 48 mutants of held times from 1 s to 100 s: rounding each share
        # on its own gave more than --jobs in all.
        mutants = [Workload(runs=40, held_ms=25 + 50 * (i % 7) + 2000 * (i == 3), cpu_ms=1, longest_ms=5000)
                   for i in range(48)]
        for total in (48, 49, 50, 64, 97, 100, 200):
            shares = slot_shares(mutants, cores=2, most=1000, total=total)
            self.assertEqual(sum(shares), total, total)
            self.assertGreaterEqual(min(shares), 1)

    def test_without_a_history_for_every_runner_equal_shares(self):
        known = Workload(runs=10, held_ms=100, cpu_ms=1, longest_ms=500)
        self.assertEqual(slot_shares([known, None], cores=2, most=32), [4, 4])
        self.assertEqual(slot_shares([known, None], cores=2, most=32, total=6), [3, 3])
        self.assertEqual(slot_shares([], cores=2, most=32), [])


class LearnedWorkloadTest(unittest.TestCase):

    def write_history(self, build_dir, name, document):
        (build_dir / "case-durations").mkdir(parents=True, exist_ok=True)
        (build_dir / "case-durations" / name).write_text(json.dumps(document))

    def test_from_the_duration_history(self):
        with tempfile.TemporaryDirectory() as scratch:
            build_dir = Path(scratch)
            self.write_history(build_dir, "asio.json", {"last_ms": {"a/b": 100, "a/c": 300}, "cpu_ms_per_run": 4.5})
            workload = learned_workload(build_dir, "asio", runs=7)
            self.assertEqual(workload, Workload(runs=7, held_ms=200, cpu_ms=4.5, longest_ms=300))

    def test_each_case_counts_its_least_recorded_duration_not_its_last(self):
        # The last run was contended (every case took ten times as long):
        # sizing by it would give the next run more slots and more contention.
        with tempfile.TemporaryDirectory() as scratch:
            build_dir = Path(scratch)
            self.write_history(build_dir, "asio.json", {"last_ms": {"a/b": 1000, "a/c": 3000},
                                                        "least_ms": {"a/b": 100, "a/c": 300}, "cpu_ms_per_run": 4.5})
            self.assertEqual(learned_workload(build_dir, "asio", runs=7),
                             Workload(runs=7, held_ms=200, cpu_ms=4.5, longest_ms=300))

    def test_a_mutant_has_its_own_history(self):
        with tempfile.TemporaryDirectory() as scratch:
            build_dir = Path(scratch)
            self.write_history(build_dir, "asio.m.json", {"last_ms": {"a/b": 50}, "cpu_ms_per_run": 1})
            self.assertIsNone(learned_workload(build_dir, "asio", runs=1))
            self.assertEqual(learned_workload(build_dir, "asio", runs=1, mutant="m").longest_ms, 50)

    def test_none_before_a_first_run_or_without_cpu_or_when_torn(self):
        with tempfile.TemporaryDirectory() as scratch:
            build_dir = Path(scratch)
            self.assertIsNone(learned_workload(build_dir, "asio", runs=1))
            self.write_history(build_dir, "asio.json", {"last_ms": {"a/b": 100}})  # by an older runner
            self.assertIsNone(learned_workload(build_dir, "asio", runs=1))
            (build_dir / "case-durations" / "asio.json").write_text('{"last_ms": {')
            self.assertIsNone(learned_workload(build_dir, "asio", runs=1))

    def test_none_when_the_history_has_the_wrong_shape(self):
        with tempfile.TemporaryDirectory() as scratch:
            build_dir = Path(scratch)
            for document in ([], {"last_ms": [100]}, {"last_ms": "100", "cpu_ms_per_run": 1},
                             {"last_ms": {"a/b": "x"}, "cpu_ms_per_run": 1}, {"last_ms": {"a/b": 1}, "cpu_ms_per_run": "1"}):
                self.write_history(build_dir, "asio.json", document)
                self.assertIsNone(learned_workload(build_dir, "asio", runs=1), document)


@unittest.skipIf(runner_missing_reason(), runner_missing_reason())
class RunnerRecordsCpuTest(unittest.TestCase):

    def test_the_runner_keeps_the_cpu_per_case_run_in_its_history(self):
        with tempfile.TemporaryDirectory(prefix="endaccept-workload-") as scratch:
            scratch = Path(scratch)
            adapter_dir = private_fixture(scratch, "start-log")
            cases_dir = write_cases_dir(scratch / "cases", {"fixture.json": [accept_case(f"fixture/case-{n}")
                                                                             for n in range(3)]})
            build_dir = scratch / "build"
            run = run_runner(adapter_dir, cases_dir, scratch / "report.json", "--jobs", "2", "--gtest_repeat=2",
                             "--build-dir", build_dir)
            self.assertEqual(run.code, 0, run.describe())
            history = json.loads((build_dir / "case-durations" / "start-log.json").read_text())
            self.assertEqual(sorted(history["last_ms"]), [f"fixture/case-{n}" for n in range(3)])
            # A Python adapter's start alone costs CPU: the figure is there and positive.
            self.assertGreater(history["cpu_ms_per_run"], 0)
            workload = learned_workload(build_dir, "start-log", runs=6)
            self.assertIsNotNone(workload)

    def test_the_least_duration_of_a_case_never_rises_while_the_last_follows_each_run(self):
        # The history a runner finds says a case once took 1 ms: a run that
        # takes longer keeps that least and replaces the last.
        with tempfile.TemporaryDirectory(prefix="endaccept-workload-") as scratch:
            scratch = Path(scratch)
            adapter_dir = private_fixture(scratch, "start-log")
            cases_dir = write_cases_dir(scratch / "cases", {"fixture.json": [accept_case("fixture/case-0")]})
            build_dir = scratch / "build"
            history_file = build_dir / "case-durations" / "start-log.json"
            history_file.parent.mkdir(parents=True)
            history_file.write_text(json.dumps({"last_ms": {"fixture/case-0": 90000, "fixture/gone": 7},
                                                "least_ms": {"fixture/case-0": 1, "fixture/gone": 5},
                                                "cpu_ms_per_run": 1}))
            run = run_runner(adapter_dir, cases_dir, scratch / "report.json", "--build-dir", build_dir)
            self.assertEqual(run.code, 0, run.describe())
            history = json.loads(history_file.read_text())
            self.assertEqual(history["least_ms"]["fixture/case-0"], 1)
            self.assertGreater(history["last_ms"]["fixture/case-0"], 1)
            self.assertLess(history["last_ms"]["fixture/case-0"], 90000)
            # A case this run did not make keeps what was recorded of it.
            self.assertEqual((history["last_ms"]["fixture/gone"], history["least_ms"]["fixture/gone"]), (7, 5))


if __name__ == "__main__":
    unittest.main()
