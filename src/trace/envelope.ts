/**
 * The trace file's own schema: a header, then one record per message, each framed as a
 * length-delimited protobuf message followed by a checksum. The payloads inside records use the
 * schemas `vppkit gen --proto` writes. `docs/trace.md` describes the format.
 *
 * @module
 */
import { crc32 } from 'node:zlib';
import protobuf from 'protobufjs';

/** The schema, shipped as text so other languages can read traces with protoc's output. */
export const ENVELOPE_PROTO = `syntax = "proto3";

package vppkit.trace;

// The first entry of a trace file.
message Header {
  string magic = 1;          // "vppkit-trace"
  uint32 format = 2;         // 1
  string vppkit_version = 3; // the vppkit that wrote the file
  string bindings = 4;       // the VPP release of its bundled bindings, e.g. "VPP 26.06"
  uint64 time_ns = 5;        // when recording started, ns since the Unix epoch
  fixed32 checksum = 15;     // see below
}

enum Direction {
  DIRECTION_UNSPECIFIED = 0;
  SENT = 1;     // client to VPP
  RECEIVED = 2; // VPP to client
}

// Every entry after the header: one message.
message Record {
  Direction direction = 1;
  uint64 time_ns = 2;          // ns since the Unix epoch
  string name = 3;             // VPP message name, e.g. "sw_interface_dump"
  string crc = 4;              // its CRC, e.g. "0xaa610c27"
  uint32 context = 5;          // the context it carried; 0 for events
  string module = 6;           // the VPP module defining it: the payload is vpp.<module>.<Name>
  bytes payload = 7;           // the message in the schema of vppkit gen --proto
  repeated string redacted = 8; // paths of fields zeroed before recording, e.g. "entry.crypto_key"
  uint32 msg_id = 9;           // VPP's message id on the connection
  string error = 10;           // why payload is empty: no definition, or not convertible
  bytes raw = 11;              // the VPP bytes, when payload is empty
  fixed32 checksum = 15;       // see below
}

// Each entry on disk (the header too): varint length, then the message, whose last field is
// checksum = 15: the CRC-32 of the message's bytes before it, always written, always last.
`;

/** The header's magic string. */
export const TRACE_MAGIC = 'vppkit-trace';
/** The format version this vppkit writes and reads. */
export const TRACE_FORMAT = 1;

const root = protobuf.parse(ENVELOPE_PROTO, { keepCase: true }).root;
/** The `vppkit.trace.Header` type. */
export const HeaderType = root.lookupType('vppkit.trace.Header');
/** The `vppkit.trace.Record` type. */
export const RecordType = root.lookupType('vppkit.trace.Record');

/** Direction values of the envelope. */
export const Direction = { sent: 1, received: 2 } as const;

/** Tag of the checksum trailer: field 15, wire type 5 (fixed32). */
export const CHECKSUM_TAG = (15 << 3) | 5;
/** Bytes of the checksum trailer: its tag and the CRC-32. */
export const CHECKSUM_BYTES = 5;

/** One entry as written to the file: varint length, `body`, checksum trailer. */
export function frame(body: Uint8Array): Buffer {
  const w = protobuf.Writer.create();
  w.uint32(body.length + CHECKSUM_BYTES);
  const prefix = w.finish();
  const out = Buffer.allocUnsafe(prefix.length + body.length + CHECKSUM_BYTES);
  out.set(prefix, 0);
  out.set(body, prefix.length);
  const at = prefix.length + body.length;
  out[at] = CHECKSUM_TAG;
  out.writeUInt32LE(crc32(body), at + 1);
  return out;
}
