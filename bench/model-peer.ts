/**
 * The VPP model (`startVppModel`) in a process of its own, for the agent bench: so the agent's
 * memory and time are measured without the model's.
 */
import { fileURLToPath } from 'node:url';
import { type PeerProcess, forkPeer } from './peer-process.js';
import { loadTesting } from './sim-peer.js';

/** Forks this file as the model and resolves once it listens. */
export function startModelPeer(): Promise<PeerProcess> {
  return forkPeer(fileURLToPath(import.meta.url), 'modelpeer');
}

if (process.argv[2] === '--serve' && process.argv[1] === fileURLToPath(import.meta.url)) {
  const { startVppModel } = await loadTesting();
  await startVppModel({ socket: process.argv[3]! });
  process.send?.({ listening: true });
  process.on('disconnect', () => process.exit(0));
}
