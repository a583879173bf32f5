/**
 * The protocol simulator (`VppSimulator`) in a process of its own, for the client bench: so the
 * client being measured has its core to itself, as it would against VPP.
 *
 * It answers `control_ping` as the simulator does by default, and `acl_dump` with as many
 * `acl_details` (2-5 rules each) as the parent last asked for over IPC (`{ dump: n }`, answered
 * `{ dump: n }` once set). It loads vppkit from `dist/` when built, as the bench does.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { forkPeer } from './peer-process.js';

type Testing = typeof import('../src/testing/index.js');

const here = dirname(fileURLToPath(import.meta.url));

/** vppkit's `testing` entry point: the built one when `dist/` exists (what users run), else the source. */
export async function loadTesting(): Promise<Testing> {
  const built = join(here, '..', 'dist', 'src', 'testing', 'index.js');
  return existsSync(built) ? ((await import(pathToFileURL(built).href)) as Testing) : await import('../src/testing/index.js');
}

/** One `acl_details` row with 2-5 rules. */
function aclRow(i: number): Record<string, unknown> {
  const rules = 2 + (i % 4);
  return {
    acl_index: i,
    tag: `acl-${i}`,
    r: Array.from({ length: rules }, (_, j) => ({
      is_permit: 1, src_prefix: `10.${(i >> 8) & 255}.${i & 255}.0/24`, dst_prefix: `192.168.${j}.0/24`, proto: 6,
      srcport_or_icmptype_first: 0, srcport_or_icmptype_last: 65535, dstport_or_icmpcode_first: 80 + j, dstport_or_icmpcode_last: 80 + j,
      tcp_flags_mask: 0, tcp_flags_value: 0,
    })),
  };
}

async function serve(path: string): Promise<void> {
  const { VppSimulator } = await loadTesting();
  const sim = await VppSimulator.start({ socket: path });
  // Rows are built ahead (64 distinct ones, reused), so a dump costs the simulator its encoding only.
  const rows = Array.from({ length: 64 }, (_, i) => aclRow(i));
  let size = 0;
  sim.handle('acl_dump', function* () {
    for (let i = 0; i < size; i++) yield rows[i & 63]!;
  });
  process.on('message', (m: { dump?: number }) => {
    if (typeof m.dump === 'number') {
      size = m.dump;
      process.send?.({ dump: size });
    }
  });
  process.send?.({ listening: true });
}

/** A simulator running in its own process. */
export interface SimPeer {
  readonly socketPath: string;
  /** Makes the next `acl_dump`s answer `n` details. */
  setDumpSize(n: number): Promise<void>;
  close(): Promise<void>;
}

/** Forks this file as the simulator and resolves once it listens. */
export async function startSimPeer(): Promise<SimPeer> {
  const { socketPath, child, close } = await forkPeer(fileURLToPath(import.meta.url), 'simpeer');
  return {
    socketPath,
    setDumpSize: (n) =>
      new Promise((resolve) => {
        child.once('message', () => resolve());
        child.send({ dump: n });
      }),
    close,
  };
}

if (process.argv[2] === '--serve' && process.argv[1] === fileURLToPath(import.meta.url)) {
  await serve(process.argv[3]!);
  process.on('disconnect', () => process.exit(0));
}
