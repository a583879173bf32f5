/**
 * The child processes that the launchers (launchVpp, launchEtcd) started and that still run: when
 * this process exits, or gets SIGINT or SIGTERM, each is killed and its files removed, so that a
 * crashed test run leaves no VPP or etcd behind.
 *
 * @module
 */
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

interface Tracked {
  readonly child: ChildProcess;
  readonly cleanup: () => void;
}

const running = new Set<Tracked>();

function killAllNow(): void {
  for (const r of running) {
    r.child.kill('SIGKILL');
    r.cleanup();
  }
  running.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  killAllNow();
  uninstall();
  // With no other listener, Node would have ended the process: do so, with the same signal.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

let installed = false;
function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', killAllNow);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
function uninstall(): void {
  if (!installed || running.size > 0) return;
  installed = false;
  process.off('exit', killAllNow);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}

/**
 * Kills `child` and runs `cleanup` if this process ends while it runs. Returns the function to call
 * once the child has exited (the handlers go when nothing is tracked any more).
 */
export function killOnExit(child: ChildProcess, cleanup: () => void): () => void {
  const entry = { child, cleanup };
  running.add(entry);
  install();
  return () => {
    running.delete(entry);
    uninstall();
  };
}

/**
 * Sends `signal` to `child` if it still runs, then SIGKILL if it has not exited `timeoutMs` later;
 * resolves once it has exited (`exited` settles when it does).
 */
export async function endChild(child: ChildProcess, exited: Promise<unknown>, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  const late = await Promise.race([exited.then(() => false), sleep(timeoutMs).then(() => true)]);
  if (late) {
    child.kill('SIGKILL');
    await exited;
  }
}
