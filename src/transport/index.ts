/**
 * Transports: the framed byte streams the client talks to VPP over.
 *
 * @module
 */
export { FRAME_HEADER_SIZE, FrameReader, FrameWriter } from './framing.js';
export type { FrameHandler } from './framing.js';
export { SocketTransport, connectSocket } from './socket.js';
export type { Keeper, Transport, TransportFactory, TransportListener } from './transport.js';
