/**
 * The memif plugin's control plane, as far as creating and deleting pods' memifs needs: socket
 * filenames (and their dump) and memif interfaces, with VPP 26.06's return codes (read from a running 26.06).
 * No connection to a peer: a memif's link stays down.
 *
 * @module
 */
import type { Messages } from '../../gen/index.js';
import type { MemifCreate, MemifDelete, MemifSocketFilenameAddDel, MemifSocketFilenameAddDelV2, MemifSocketFilenameDump } from '../../gen/memif.js';
import type { VppSimulator } from '../simulator.js';
import { on } from './handle.js';
import { type InterfaceTable, randomMac } from './interfaces.js';
import { NONE, RV } from './retvals.js';

/** Where VPP puts a relative socket filename: its runtime directory. */
const RUNTIME_DIR = '/run/vpp';
/** `memif_role` slave. */
const SLAVE = 1;
/** `memif_mode` IP. */
const IP_MODE = 1;

/** Socket filenames by socket id, and which socket each memif uses. */
export class MemifState {
  /** Socket id 0 is VPP's default socket, always there. */
  readonly sockets = new Map<number, string>([[0, `${RUNTIME_DIR}/memif.sock`]]);
  /** The socket id of each memif, by sw_if_index. */
  readonly interfaces = new Map<number, number>();
  /** What `memif_dump` reports of each memif beyond its interface, by sw_if_index. */
  readonly links = new Map<number, { readonly role: number; readonly mode: number; readonly zeroCopy: boolean }>();

  /** A memif's deletion (by memif_delete, or otherwise) forgets its socket. */
  constructor(table: InterfaceTable) {
    table.onDelete((swIfIndex) => {
      this.interfaces.delete(swIfIndex);
      this.links.delete(swIfIndex);
    });
  }

  /** Adds `filename` as `socketId` (~0: a new id; VPP picks a random one, the model the lowest free one above 0). */
  addSocket(socketId: number, filename: string): { retval: number; socket_id: number } {
    if (filename === '' || socketId === 0) return { retval: RV.INVALID_ARGUMENT, socket_id: NONE };
    let id = socketId;
    if (id === NONE) for (id = 1; this.sockets.has(id); id++);
    else if (this.sockets.has(id)) return { retval: RV.ENTRY_ALREADY_EXISTS, socket_id: NONE };
    this.sockets.set(id, filename.startsWith('/') ? filename : `${RUNTIME_DIR}/${filename}`);
    return { retval: RV.OK, socket_id: id };
  }

  /** Deletes socket `socketId`: not the default one, not an absent one, not one a memif uses. */
  deleteSocket(socketId: number): number {
    if (socketId === 0 || !this.sockets.has(socketId)) return RV.INVALID_ARGUMENT;
    if ([...this.interfaces.values()].includes(socketId)) return RV.UNEXPECTED_INTF_STATE;
    this.sockets.delete(socketId);
    return RV.OK;
  }
}

/** Installs the memif handlers on `sim`. */
export function installMemif(sim: VppSimulator<Messages>, memif: MemifState, table: InterfaceTable): void {
  on<MemifSocketFilenameAddDelV2>(sim, 'memif_socket_filename_add_del_v2', (req) => (req.is_add ? memif.addSocket(req.socket_id, req.socket_filename) : { retval: memif.deleteSocket(req.socket_id), socket_id: req.socket_id }));
  on<MemifSocketFilenameAddDel>(sim, 'memif_socket_filename_add_del', (req) => {
    // The first version has no reply field for a new id, so ~0 is refused.
    if (!req.is_add) return memif.deleteSocket(req.socket_id);
    return req.socket_id === NONE ? RV.INVALID_ARGUMENT : memif.addSocket(req.socket_id, req.socket_filename).retval;
  });
  // VPP lists them in its hash's order; the model in the order they were added.
  on<MemifSocketFilenameDump>(sim, 'memif_socket_filename_dump', () => [...memif.sockets].map(([socket_id, socket_filename]) => ({ socket_id, socket_filename })));
  on<MemifCreate>(sim, 'memif_create', (req) => {
    // A refusal answers sw_if_index 0 (seen from VPP 26.06 for -68; assumed alike for the socket check).
    if (!memif.sockets.has(req.socket_id)) return { retval: RV.INVALID_ARGUMENT, sw_if_index: 0 };
    // A socket serves one role: an id taken on it, or a memif of the other role, is -68.
    const onSocket = [...memif.interfaces].filter(([, socket]) => socket === req.socket_id).map(([swIfIndex]) => swIfIndex);
    const taken = onSocket.some((swIfIndex) => table.get(swIfIndex)?.instance === req.id || memif.links.get(swIfIndex)?.role !== req.role);
    if (taken) return { retval: RV.SUBIF_ALREADY_EXISTS, sw_if_index: 0 };
    // An IP-mode memif has no MAC; an ethernet one without a given MAC gets a random one.
    const mac = req.mode === IP_MODE ? '00:00:00:00:00:00' : req.hw_addr === '00:00:00:00:00:00' ? randomMac() : req.hw_addr;
    const i = table.createMemif(req.socket_id, req.id, mac, req.mode === IP_MODE);
    memif.interfaces.set(i.swIfIndex, req.socket_id);
    // Zero copy is a slave's (VPP 26.06 reports it false for a master whatever was asked).
    memif.links.set(i.swIfIndex, { role: req.role, mode: req.mode, zeroCopy: req.role === SLAVE && !req.no_zero_copy });
    return { sw_if_index: i.swIfIndex };
  });
  // Without a peer, VPP 26.06 reports ring_size 1 and buffer_size 0 (the sizes are negotiated on connection).
  on(sim, 'memif_dump', () =>
    [...memif.interfaces].map(([swIfIndex, socket_id]) => {
      const i = table.get(swIfIndex)!;
      const link = memif.links.get(swIfIndex)!;
      return { sw_if_index: swIfIndex, hw_addr: i.mac, id: i.instance, role: link.role, mode: link.mode, zero_copy: link.zeroCopy, socket_id, ring_size: 1, buffer_size: 0, flags: i.adminUp ? 1 : 0, if_name: i.name };
    }),
  );
  on<MemifDelete>(sim, 'memif_delete', (req) => {
    if (!memif.interfaces.has(req.sw_if_index)) return RV.INVALID_SW_IF_INDEX;
    table.delete(req.sw_if_index);
    return RV.OK;
  });
}
