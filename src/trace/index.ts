/**
 * API traces: record every message a client sends and receives to a file (`connect({ trace })`),
 * read it back, and replay its requests against another VPP. Import as `vppkit/trace`.
 *
 * @module vppkit/trace
 */
export { ENVELOPE_PROTO, TRACE_FORMAT, TRACE_MAGIC } from './envelope.js';
export { PayloadSchemas } from './payload.js';
export { TraceError } from '../errors/index.js';
export { type ReadTraceOptions, type TraceEntry, type TraceHeader, type TraceRecord, readTrace } from './reader.js';
export type { IdTable, SessionTrace, TraceOptions, Tracer } from '../client/tracing.js';
export { TraceRecorder } from './recorder.js';
export { KEY_FIELDS, redact } from './redact.js';
export { type DetailsCollector, type ReplayClient, type ReplayOptions, type ReplayStep, replayTrace } from './replay.js';
