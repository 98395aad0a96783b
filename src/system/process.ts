/** Processes of this host: whether one is still running (a lock holder, the writer of a temp file). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, owned by someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** An AbortSignal aborted (reason: the signal's name) when the process gets one of these signals; dispose() stops listening. */
export function abortOnSignals(signals: readonly NodeJS.Signals[]): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const on = (sig: NodeJS.Signals) => controller.abort(sig);
  for (const s of signals) process.once(s, on);
  return { signal: controller.signal, dispose: () => signals.forEach((s) => process.removeListener(s, on)) };
}
