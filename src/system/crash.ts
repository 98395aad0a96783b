/**
 * The test crash hook: RELANCE_TEST_CRASH_AT=point[:n] kills the process (SIGKILL) the n-th time
 * (default the 1st) it reaches that point, to prove the exactly-once guarantees
 * (test/e2e/remind-crash.test.ts). Does nothing when the variable is not set.
 */
const crashCounts = new Map<string, number>();

/** Kill the process here when RELANCE_TEST_CRASH_AT names this point (tests only). */
export function crashPoint(point: string, env: NodeJS.ProcessEnv = process.env): void {
  const spec = env.RELANCE_TEST_CRASH_AT;
  if (!spec) return;
  const [name, nth] = spec.split(':');
  if (name !== point) return;
  const n = (crashCounts.get(point) ?? 0) + 1;
  crashCounts.set(point, n);
  if (n === Number(nth ?? 1)) process.kill(process.pid, 'SIGKILL');
}
