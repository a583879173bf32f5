import { describe, expect, it } from 'vitest';
import { decode, encode } from '../../src/codec/index.js';
import { ProtocolError } from '../../src/errors/index.js';
import { control_ping, sockclnt_create_reply } from '../../src/gen/memclnt.js';
import { helloReply, welcome } from '../../src/protocol/handshake.js';
import { nameCrc } from '../../src/schema/model.js';

/** The reply as it crosses the wire: encoded by the server's side, decoded by the client's. */
function overTheWire(value: unknown): { response: number; index: number; message_table: { index: number; name: string }[] } {
  return decode(sockclnt_create_reply, encode(sockclnt_create_reply, value, { _vl_msg_id: 16, context: 1 })) as never;
}

describe('handshake', () => {
  it("the client reads the server's reply: its handle and the table", () => {
    const table = [{ index: 23, name: nameCrc(control_ping) }, { index: 500, name: 'show_version_51077d14' }];
    const w = welcome(overTheWire(helloReply(0x80000003, table)));
    expect(w.clientIndex).toBe(0x80000003);
    expect(w.table.size).toBe(2);
    expect(w.table.idOf(control_ping)).toBe(23);
    expect(w.table.status({ name: 'show_version', crc: '0x00000001' })).toEqual({ status: 'other-crc', vppCrc: '0x51077d14' });
  });

  it('a refusal is a ProtocolError naming the response', () => {
    expect(() => welcome({ response: -1, index: 0, message_table: [] })).toThrow(ProtocolError);
    expect(() => welcome({ response: -1, index: 0, message_table: [] })).toThrow(/refused the client: sockclnt_create answered response -1/);
  });

  it('a table that gives one id to two messages is a ProtocolError', () => {
    expect(() => welcome({ response: 0, index: 1, message_table: [{ index: 7, name: 'a_00000001' }, { index: 7, name: 'b_00000002' }] })).toThrow(ProtocolError);
  });
});
