/**
 * Work to undo if the process is interrupted (SIGINT, SIGTERM): temporary output files to
 * remove. Actions are synchronous because a signal handler cannot wait.
 */
const actions = new Set<() => void>();

export function onInterrupt(action: () => void): () => void {
  actions.add(action);
  return () => actions.delete(action);
}

export function runInterruptActions(): void {
  for (const action of actions) {
    try {
      action();
    } catch {
      // best effort: the process is going away
    }
  }
  actions.clear();
}
