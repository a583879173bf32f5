/** The memif model, through the real client: the return codes a running VPP 26.06 gave for the same calls. */
import { describe, expect, it } from 'vitest';
import { MemifMode, MemifRole } from '../../src/gen/memif.js';
import { ALL, NONE, model, rv } from './model-fixture.js';

const MEMIF = {
  role: MemifRole.MEMIF_ROLE_API_MASTER, mode: MemifMode.MEMIF_MODE_API_ETHERNET, rx_queues: 1, tx_queues: 1, id: 0,
  ring_size: 0, buffer_size: 0, no_zero_copy: false, hw_addr: '00:00:00:00:00:00', secret: '',
} as const;
const socket = (is_add: boolean, socket_id: number, socket_filename = '') => ({ is_add, socket_id, socket_filename });

describe('vpp model: memif', () => {
  it('adds socket filenames: a new id for ~0, relative names in /run/vpp, refusing a taken id, an empty name and socket 0', async () => {
    const { vpp, c } = await model();
    const a = await c.request('memif_socket_filename_add_del_v2', socket(true, NONE, 'pod.sock'));
    expect(a.socket_id).not.toBe(0);
    expect(vpp.memif.sockets.get(a.socket_id)).toBe('/run/vpp/pod.sock');
    expect(await rv(c.request('memif_socket_filename_add_del_v2', socket(true, 7, '/tmp/a.sock')))).toBe(0);
    expect(await rv(c.request('memif_socket_filename_add_del_v2', socket(true, 7, '/tmp/b.sock')))).toBe(-116); // ENTRY_ALREADY_EXISTS
    expect(await rv(c.request('memif_socket_filename_add_del_v2', socket(true, 8, '')))).toBe(-73); // INVALID_ARGUMENT
    expect(await rv(c.request('memif_socket_filename_add_del_v2', socket(false, 0)))).toBe(-73);
    expect(await rv(c.request('memif_socket_filename_add_del', socket(true, NONE, 'c.sock')))).toBe(-73); // v1 cannot return a new id
    expect(await rv(c.request('memif_socket_filename_add_del', socket(true, 9, 'c.sock')))).toBe(0);
    expect((await c.dump('memif_socket_filename_dump').toArray()).map(({ socket_id, socket_filename }) => ({ socket_id, socket_filename }))).toEqual([
      { socket_id: 0, socket_filename: '/run/vpp/memif.sock' }, { socket_id: a.socket_id, socket_filename: '/run/vpp/pod.sock' },
      { socket_id: 7, socket_filename: '/tmp/a.sock' }, { socket_id: 9, socket_filename: '/run/vpp/c.sock' },
    ]);
  });

  it('creates memifs named memif<socket>/<id>, admin and link down; refuses an unknown socket and a taken id', async () => {
    const { c } = await model({ nics: [] });
    const { socket_id } = await c.request('memif_socket_filename_add_del_v2', socket(true, NONE, 'pod.sock'));
    expect(await rv(c.request('memif_create', { ...MEMIF, socket_id: 12345 }))).toBe(-73);
    const m = await c.request('memif_create', { ...MEMIF, socket_id });
    expect(await rv(c.request('memif_create', { ...MEMIF, socket_id }))).toBe(-68); // SUBIF_ALREADY_EXISTS
    await c.request('sw_interface_set_flags', { sw_if_index: m.sw_if_index, flags: 1 });
    const [d] = await c.dump('sw_interface_dump', { ...ALL, sw_if_index: m.sw_if_index }).toArray();
    expect(d).toMatchObject({ interface_name: `memif${socket_id}/0`, interface_dev_type: 'memif', flags: 1, link_mtu: 9000 }); // no peer: link down
    expect(d!.l2_address).toMatch(/^02:fe:/);
  });

  it('deletes a memif, then its socket; refuses a socket in use, an absent one, and a non-memif sw_if_index', async () => {
    const { vpp, c } = await model();
    const { socket_id } = await c.request('memif_socket_filename_add_del_v2', socket(true, NONE, 'pod.sock'));
    const m = await c.request('memif_create', { ...MEMIF, socket_id });
    expect(await rv(c.request('memif_socket_filename_add_del_v2', socket(false, socket_id)))).toBe(-74); // UNEXPECTED_INTF_STATE
    expect(await rv(c.request('memif_delete', { sw_if_index: 1 }))).toBe(-2); // the NIC
    expect(await rv(c.request('memif_delete', { sw_if_index: m.sw_if_index }))).toBe(0);
    expect(await rv(c.request('memif_delete', { sw_if_index: m.sw_if_index }))).toBe(-2);
    expect(await rv(c.request('memif_socket_filename_add_del_v2', socket(false, socket_id)))).toBe(0);
    expect(await rv(c.request('memif_socket_filename_add_del_v2', socket(false, socket_id)))).toBe(-73);
    expect([...vpp.memif.sockets.keys()]).toEqual([0]);
  });
});
