/** Scenarios for what the desired-state reconciler uses beyond the others: MTUs, memifs and their dump, the tap dump. */
import type { Scenario } from '../runner.js';
import { NONE } from '../runner.js';

const memif = (id: number, role: number, mode: number, hw_addr: string, no_zero_copy = false) => ({ role, mode, rx_queues: 0, tx_queues: 0, id, socket_id: 0, ring_size: 0, buffer_size: 0, no_zero_copy, hw_addr, secret: '' });

export const desiredScenarios: Scenario[] = [
  {
    name: 'sw_interface_set_mtu: the L3 MTU, per-protocol MTUs, past the link MTU, below 68, an absent interface',
    tables: ['interfaces'],
    async run(s) {
      await s.loopback('A');
      await s.call('sw_interface_set_mtu', { sw_if_index: s.if('A'), mtu: [1500, 0, 0, 0] }, { label: 'L3 1500' });
      await s.call('sw_interface_set_mtu', { sw_if_index: s.if('A'), mtu: [1500, 1400, 1280, 0] }, { label: 'per protocol' });
      await s.call('sw_interface_set_mtu', { sw_if_index: s.if('A'), mtu: [9001, 0, 0, 0] }, { label: 'past the link MTU' });
      await s.call('sw_interface_set_mtu', { sw_if_index: s.if('A'), mtu: [67, 0, 0, 0] }, { label: 'below 68' });
      await s.call('sw_interface_set_mtu', { sw_if_index: 1_000_000, mtu: [1500, 0, 0, 0] }, { label: 'absent' });
    },
  },
  {
    name: 'memif_create in both roles and modes, memif_dump, MTU, tag and admin state on a memif, memif_delete',
    tables: ['interfaces'],
    async run(s) {
      const made = async (reply: Promise<Record<string, unknown>>) => {
        const r = await reply;
        if (r.retval === 0) s.undoWith('memif_delete', { sw_if_index: r.sw_if_index });
      };
      await made(s.call('memif_create', memif(4001, 1, 0, '02:00:00:00:40:01'), { as: 'S' }));
      await made(s.call('memif_create', memif(4002, 0, 0, '02:00:00:00:40:02'), { label: 'a master on a socket slaves use' }));
      await made(s.call('memif_create', memif(4003, 1, 1, '00:00:00:00:00:00', true), { as: 'I' }));
      await made(s.call('memif_create', memif(4001, 1, 0, '02:00:00:00:40:04'), { label: 'an id taken on the socket' }));
      await s.dump('memif_dump');
      await s.call('memif_delete', { sw_if_index: s.if('S') });
      await s.call('memif_delete', { sw_if_index: s.if('I') });
      await made(s.call('memif_create', memif(4002, 0, 0, '02:00:00:00:40:02'), { as: 'M', label: 'a master once the slaves are gone' }));
      await s.dump('memif_dump', {}, 'memif_dump of the master');
      await s.call('sw_interface_set_mtu', { sw_if_index: s.if('M'), mtu: [1400, 0, 0, 0] });
      await s.call('sw_interface_tag_add_del', { is_add: true, sw_if_index: s.if('M'), tag: 'vppkit-diff-memif' });
      await s.call('sw_interface_set_flags', { sw_if_index: s.if('M'), flags: 1 });
      await s.dump('memif_dump', {}, 'memif_dump after admin up');
      await s.call('memif_delete', { sw_if_index: s.if('M') });
      await s.call('memif_delete', { sw_if_index: s.if('M') }, { label: 'delete again' });
    },
  },
  {
    name: 'sw_interface_tap_v2_dump without taps',
    tables: [],
    async run(s) {
      await s.dump('sw_interface_tap_v2_dump', { sw_if_index: NONE });
    },
  },
];
