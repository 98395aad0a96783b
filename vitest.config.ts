import os from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Sized for a loaded machine: the suite must pass on 2 cores at a load average of 8 (other builds,
 * other test runs beside it), where every process gets about a quarter of a core and an end-to-end
 * test runs ~4x slower than alone. No test asserts a wall-clock time (see test/helpers/scaling.ts);
 * the timeouts below only catch a hang. Measured on this 2-core machine at a load average of 17-29
 * (three times that): the longest test took 98 s (overdue's as-of replay, ~33 runs of bin/relance
 * in a row), the longest beforeAll 298 s (remind-replay's 60 runs). A new test needs no timeout of
 * its own unless it takes more than ~30 s alone.
 */
const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;

/** Files that take longest alone (measured), started first so the rest of the suite runs beside them. */
const SLOW_FIRST = ['test/e2e/remind-replay.test.ts', 'test/e2e/remind-crash.test.ts', 'test/e2e/all-ledgers.test.ts', 'test/e2e/documents.test.ts'];

class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = SLOW_FIRST.findIndex((s) => f.moduleId.endsWith(s));
      return i < 0 ? SLOW_FIRST.length : i;
    };
    // Array.prototype.sort is stable: the base order (longest last time, else largest) stays otherwise.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // One test: 3x the longest seen at a load average of 27.
    testTimeout: 300_000,
    // beforeAll/afterAll that build a scenario (remind-replay's 60 runs set their own, 600 s).
    hookTimeout: 300_000,
    teardownTimeout: 60_000,
    // A worker per core (end-to-end tests wait on one child process each), 2 on a 1-core machine so a
    // waiting worker does not leave the core idle, at most 8. Each test file runs in one worker, so the
    // slow end-to-end files are split where their cases share no files.
    maxWorkers: Math.min(8, Math.max(2, cores)),
    sequence: { sequencer: SlowFirst },
  },
});
