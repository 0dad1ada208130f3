"""Each CI system's own variables split the suite exactly once (issue: every major CI)."""
import collections
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import fixture, ran, run  # noqa: E402

SUITE = fixture("fixture_suite")
DROPIN = fixture("fixture_dropin")
PLAIN = fixture("fixture_plain")
TOTAL = 3

# provider -> function(index 0-based) -> environment, as that CI sets it for node `index`.
PROVIDERS = {
    "shardtap": lambda i: {"SHARDTAP_NODE_TOTAL": TOTAL, "SHARDTAP_NODE_INDEX": i},
    "Heroku CI": lambda i: {"CI": "true", "CI_NODE_TOTAL": TOTAL, "CI_NODE_INDEX": i},
    "GitLab CI": lambda i: {"GITLAB_CI": "true", "CI_NODE_TOTAL": TOTAL, "CI_NODE_INDEX": i + 1},
    "CircleCI": lambda i: {"CIRCLECI": "true", "CIRCLE_NODE_TOTAL": TOTAL, "CIRCLE_NODE_INDEX": i},
    "Buildkite": lambda i: {"BUILDKITE": "true", "BUILDKITE_PARALLEL_JOB_COUNT": TOTAL,
                            "BUILDKITE_PARALLEL_JOB": i},
    "Semaphore": lambda i: {"SEMAPHORE": "true", "SEMAPHORE_JOB_COUNT": TOTAL,
                            "SEMAPHORE_JOB_INDEX": i + 1},
    "Azure Pipelines": lambda i: {"TF_BUILD": "True", "SYSTEM_TOTALJOBSINPHASE": TOTAL,
                                  "SYSTEM_JOBPOSITIONINPHASE": i + 1},
    "Bazel": lambda i: {"TEST_TOTAL_SHARDS": TOTAL, "TEST_SHARD_INDEX": i},
}


class ProviderTest(unittest.TestCase):
    BINARY = SUITE  # shardtap::main

    def assert_whole_suite_once(self, environment_of, provider, expected=None):
        expected = ran(PLAIN) if expected is None else expected
        seen = collections.Counter()
        for index in range(TOTAL):
            env = environment_of(index)
            result = run(self.BINARY, env=env)
            self.assertEqual(result.returncode, 0, result.stderr)
            line = f"node {index} of {TOTAL} (0-based, from {provider})"
            self.assertIn(line.encode(), result.stderr)
            seen.update(ran(self.BINARY, env=env))
        self.assertEqual([t for t, n in seen.items() if n > 1], [])
        self.assertEqual(sorted(seen), sorted(expected))

    def test_every_provider_splits_the_suite_exactly_once(self):
        for provider, environment_of in PROVIDERS.items():
            with self.subTest(provider=provider):
                self.assert_whole_suite_once(environment_of, provider)

    def test_bazel_with_catch2s_own_bazel_support_enabled(self):
        # With BAZEL_TEST set, Catch2 reads TEST_TOTAL_SHARDS itself; it must not split again.
        with tempfile.TemporaryDirectory() as directory:
            status = os.path.join(directory, "shard-status")

            def environment_of(i):
                return {"BAZEL_TEST": "1", "TEST_TOTAL_SHARDS": TOTAL, "TEST_SHARD_INDEX": i,
                        "TEST_SHARD_STATUS_FILE": status}

            self.assert_whole_suite_once(environment_of, "Bazel")
            self.assertTrue(os.path.exists(status), "TEST_SHARD_STATUS_FILE was not touched")

    def test_bazel_test_filter_is_applied_once_then_split(self):
        # Catch2 reads `bazel test --test_filter` (TESTBRIDGE_TEST_ONLY) in every Config it builds.
        def environment_of(i):
            return {"BAZEL_TEST": "1", "TESTBRIDGE_TEST_ONLY": "[fast]", "TEST_TOTAL_SHARDS": TOTAL,
                    "TEST_SHARD_INDEX": i}

        expected = ran(PLAIN, "[fast]")
        self.assertEqual(len(expected), 3)
        self.assert_whole_suite_once(environment_of, "Bazel", expected)

    def test_gitlab_without_parallel_runs_everything(self):
        self.assertEqual(sorted(ran(self.BINARY, env={"GITLAB_CI": "true", "CI_NODE_TOTAL": 1})),
                         sorted(ran(PLAIN)))

    def test_gitlab_index_zero_is_rejected(self):
        result = run(self.BINARY, env={"GITLAB_CI": "true", "CI_NODE_TOTAL": 3, "CI_NODE_INDEX": 0})
        self.assertEqual(result.returncode, 1)
        self.assertIn(b"(GitLab CI): CI_NODE_INDEX must be from 1 to 3 (1-based)", result.stderr)


class DropInProviderTest(ProviderTest):
    """The same through the selection listener of a binary that keeps Catch2's main."""
    BINARY = DROPIN


if __name__ == "__main__":
    unittest.main(verbosity=2)
