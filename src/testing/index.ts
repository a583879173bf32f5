/**
 * `vppkit/testing`: a VPP simulator that speaks the real API socket protocol on a Unix socket,
 * for testing code that uses the client (or any VPP API client) without VPP.
 *
 * ```ts
 * import { connect } from 'vppkit';
 * import { VppSimulator, cursorStream } from 'vppkit/testing';
 *
 * const sim = await VppSimulator.start({ firstId: 500, crcs: { show_version: '0xdeadbeef' } });
 * sim.handle('cli_inband', (req) => ({ reply: `ran ${req.cmd}` }));   // reply fields
 * sim.handle('sw_interface_set_flags', () => -2);                     // a retval
 * sim.handle('sw_interface_dump', () => [{ sw_if_index: 0, interface_name: 'local0' }]);
 * sim.handle('sw_interface_tx_placement_get', cursorStream(rows, 100)); // -165 rounds
 *
 * const client = await connect({ socket: sim.socketPath });
 * sim.pushEvent('sw_interface_event', { sw_if_index: 1, flags: 3 });  // to subscribers
 * sim.holdNext('cli_inband');            // faults: holdNext, delayNext, dropNext,
 * await sim.restart({ firstId: 900 });   // closeMidDump, sendGarbage, sendOversized, restart
 * await client.close();
 * await sim.close();
 * ```
 *
 * Every message has a default answer (retval 0, empty dumps, finished streams, `want_*`
 * subscriptions tracked per client); `control_ping`, `sockclnt_create`/`sockclnt_delete`,
 * `get_api_json` and keepalive are built in.
 *
 * @module vppkit/testing
 */
export { LaunchError, SimulatorError } from '../errors/index.js';
export { VppSimulator } from './simulator.js';
export type { ReceivedRequest, SimulatorEvents, SimulatorOptions } from './simulator.js';
export { SimCall } from './sim-call.js';
export { SimConnection } from './sim-connection.js';
export type { Fields, Handler, HandlerName, HandlerResult, Loose, RequestOf } from './handler-types.js';
export type { HeldReply } from './faults.js';
export type { TableOptions } from './message-table.js';
export { cursorStream } from './handlers.js';
export type { CursorStreamHandler } from './handlers.js';
export { apiJsonBundle, toApiJson } from './api-json.js';
export * from './vpp-model/index.js';
export { DEFAULT_VPP_PLUGINS, launchVpp } from './launch.js';
export type { LaunchVppOptions, LaunchedVpp } from './launch.js';
