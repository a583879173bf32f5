/**
 * VPP's API as protobuf: convert decoded values to and from the objects protobufjs uses with the
 * schemas `vppkit gen --proto` writes. Import as `vppkit/proto`.
 *
 * @module vppkit/proto
 */
export { fromProtoObject, toProtoObject } from './convert.js';
