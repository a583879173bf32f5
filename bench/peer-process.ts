/** Runs a bench peer (echo responder, simulator) in a process of its own, so the client measured has its core. */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A peer process listening on a Unix socket in a temporary folder. */
export interface PeerProcess {
  readonly socketPath: string;
  readonly child: ChildProcess;
  /** Stops the process and removes its folder. */
  close(): Promise<void>;
}

/** Forks `file` with `--serve SOCKET` and resolves once it reports (over IPC) that it listens. */
export async function forkPeer(file: string, what: string): Promise<PeerProcess> {
  const dir = mkdtempSync(join(tmpdir(), `vppkit-${what}-`));
  const socketPath = join(dir, 'api.sock');
  const child = fork(file, ['--serve', socketPath], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${what} peer exited (${code}) before listening`)));
  });
  child.removeAllListeners('exit');
  return {
    socketPath,
    child,
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill();
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
