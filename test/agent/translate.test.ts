import { describe, expect, it } from 'vitest';
import { parseKey, translate } from '../../src/agent/translate.js';
import { normalise } from '../../src/desired/index.js';

const entries = (o: Record<string, unknown>) => new Map(Object.entries(o).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
const IF = 'config/vpp/v2/interfaces/';
const ACL = 'config/vpp/acls/v2/acl/';
const NAT = 'config/vpp/nat/v2/';

describe('vpp-agent key layout', () => {
  it('reads the kinds of key vpp-agent writes, and names the rest unsupported', () => {
    expect(parseKey(`${IF}memif1/1`)).toEqual({ kind: 'interface', name: 'memif1/1' });
    expect(parseKey(`${ACL}pod-in`)).toEqual({ kind: 'acl', name: 'pod-in' });
    expect(parseKey(`${NAT}nat44-global`)).toEqual({ kind: 'nat44Global', name: '' });
    expect(parseKey(`${NAT}nat44-global/settings`)).toEqual({ kind: 'nat44Global', name: '' });
    expect(parseKey(`${NAT}dnat44/web`)).toEqual({ kind: 'dnat44', name: 'web' });
    expect(parseKey('config/vpp/l2/v2/bridge-domain/bd1')).toEqual({ unsupported: expect.stringContaining('is not a key vppkit') });
    expect(parseKey(IF)).toEqual({ unsupported: expect.any(String) });
  });
});

describe('translate', () => {
  it('reads protojson both ways: proto and JSON field names, enums by name or number, uint32 as strings', () => {
    const snake = translate(entries({ [`${IF}lo1`]: { name: 'lo1', type: 'SOFTWARE_LOOPBACK', enabled: true, ip_addresses: ['10.0.0.1/24'], mtu: 1500 } }));
    const camel = translate(entries({ [`${IF}lo1`]: { name: 'lo1', type: 2, enabled: true, ipAddresses: ['10.0.0.1/24'], mtu: '1500' } }));
    expect(snake.desired).toEqual(camel.desired);
    expect(snake.desired.interfaces).toEqual([{ name: 'lo1', type: 'loopback', enabled: true, ipAddresses: ['10.0.0.1/24'], mtu: 1500 }]);
    expect(snake.outcomes.get(`${IF}lo1`)).toEqual({ state: 'accepted' });
    expect(snake.origin('interface/lo1')).toBe(`${IF}lo1`);
  });

  it('rejects, per key and with the field, what it cannot read or does not support; takes defaults of unsupported fields', () => {
    const t = translate(entries({
      [`${IF}a`]: { name: 'a', type: 'SOFTWARE_LOOPBACK', physAddress: '02:00:00:00:00:01' },
      [`${IF}b`]: { name: 'b', type: 'SOFTWARE_LOOPBACK', phys_address: '', vrf: 0 },
      [`${IF}c`]: { name: 'c', type: 'SOFTWARE_LOOPBACK', colour: 'red' },
      [`${IF}d`]: { name: 'd', type: 'VXLAN_TUNNEL' },
      [`${IF}e`]: { name: 'other', type: 'SOFTWARE_LOOPBACK' },
      [`${IF}f`]: '{not json',
      [`${IF}g`]: { name: 'g', type: 'SOFTWARE_LOOPBACK', unnumbered: { interface_with_ip: 'b' } },
      [`${IF}h`]: { name: 'h', type: 'SOFTWARE_LOOPBACK', mtu: -1 },
      'config/vpp/v2/route/vrf/0/dst/10.0.0.0/8/gw/1.1.1.1': {},
    }));
    const reason = (k: string) => t.outcomes.get(k)?.state === 'rejected' ? t.outcomes.get(k)!.reason : `not rejected: ${JSON.stringify(t.outcomes.get(k))}`;
    expect(reason(`${IF}a`)).toMatch(/physAddress: .*phys_address is not supported/);
    expect(t.outcomes.get(`${IF}b`)).toEqual({ state: 'accepted' });
    expect(reason(`${IF}c`)).toMatch(/Interface has no field colour/);
    expect(reason(`${IF}d`)).toMatch(/VXLAN_TUNNEL is not supported/);
    expect(reason(`${IF}e`)).toMatch(/the value names "other", the key "e"/);
    expect(reason(`${IF}f`)).toMatch(/not JSON/);
    expect(reason(`${IF}g`)).toMatch(/unnumbered.*not supported/);
    expect(reason(`${IF}h`)).toMatch(/mtu: expected a whole number/);
    expect(reason('config/vpp/v2/route/vrf/0/dst/10.0.0.0/8/gw/1.1.1.1')).toMatch(/is not a key vppkit's agent reads/);
    expect(t.desired.interfaces!.map((i) => i.name)).toEqual(['b']);
  });

  it('translates tap and memif links', () => {
    const t = translate(entries({
      [`${IF}tap1`]: { name: 'tap1', type: 'TAP', tap: { version: 2, hostIfName: 'vpp-tap1', rxRingSize: 512 } },
      [`${IF}m1`]: { name: 'm1', type: 'MEMIF', memif: { master: true, id: 3, socket_filename: '/run/m.sock', mode: 'IP' } },
      [`${IF}t1`]: { name: 't1', type: 'TAP', tap: { version: 1 } },
      [`${IF}m2`]: { name: 'm2', type: 'MEMIF', tap: {} },
    }));
    expect(t.desired.interfaces).toEqual([
      { name: 'm1', type: 'memif', enabled: false, ipAddresses: [], memif: { id: 3, master: true, mode: 'ip', socketFilename: '/run/m.sock' } },
      { name: 'tap1', type: 'tap', enabled: false, ipAddresses: [], tap: { hostIfName: 'vpp-tap1', rxRingSize: 512 } },
    ]);
    expect(t.outcomes.get(`${IF}t1`)?.reason).toMatch(/only tap v2/);
    expect(t.outcomes.get(`${IF}m2`)?.reason).toMatch(/a TapLink on an interface of type MEMIF/);
  });

  it('translates ACL rules as vpp-agent reads them, and attachments', () => {
    const t = translate(entries({
      [`${IF}pod`]: { name: 'pod', type: 'SOFTWARE_LOOPBACK' },
      [`${ACL}web`]: {
        name: 'web',
        rules: [
          { action: 'REFLECT', ip_rule: { ip: { source_network: '10.1.1.3/32', destination_network: '0.0.0.0/0' }, tcp: { destination_port_range: { lower_port: 80 } } } },
          { action: 'PERMIT', ipRule: { icmp: { icmpv6: true, icmpTypeRange: { first: 128, last: 129 } } } },
          { action: 'DENY', ip_rule: { ip: { protocol: 47 } } },
          { ip_rule: {} },
        ],
        interfaces: { ingress: ['pod'] },
      },
      [`${ACL}bad`]: { name: 'bad', rules: [{ action: 'PERMIT', ip_rule: { tcp: {}, udp: {} } }] },
      [`${ACL}mismatch`]: { name: 'mismatch', rules: [{ action: 'PERMIT', ip_rule: { ip: { protocol: 17 }, tcp: {} } }] },
      [`${ACL}macip`]: { name: 'macip', rules: [{ action: 'PERMIT', macip_rule: { source_address: '10.0.0.1' } }] },
      [`${ACL}waits`]: { name: 'waits', rules: [], interfaces: { egress: ['nowhere'] } },
    }));
    expect(t.desired.acls).toEqual([{
      name: 'web',
      rules: [
        { action: 'reflect', sourceNetwork: '10.1.1.3/32', destinationNetwork: '0.0.0.0/0', protocol: 'tcp', destinationPort: { first: 80, last: 80 } },
        { action: 'permit', protocol: 'icmpv6', icmpType: { first: 128, last: 129 } },
        { action: 'deny', protocol: 47 },
        { action: 'deny' },
      ],
      interfaces: { ingress: ['pod'], egress: [] },
    }]);
    expect(t.outcomes.get(`${ACL}bad`)?.reason).toMatch(/tcp and udp are both set/);
    expect(t.outcomes.get(`${ACL}mismatch`)?.reason).toMatch(/ip.protocol 17 does not match its tcp match/);
    expect(t.outcomes.get(`${ACL}macip`)?.reason).toMatch(/macip_rule is not supported/);
    expect(t.outcomes.get(`${ACL}waits`)).toEqual({ state: 'pending', reason: expect.stringContaining('waits for interface nowhere') });
    expect(() => normalise(t.desired)).not.toThrow();
  });

  it('keeps NAT44 keys pending until the global key, then translates them', () => {
    const nat = {
      [`${IF}up`]: { name: 'up', type: 'DPDK', enabled: true },
      [`${NAT}nat44-interface/up`]: { name: 'up', natOutside: true, outputFeature: false },
      [`${NAT}nat44-pool/p1`]: { name: 'p1', first_ip: '192.0.2.1', last_ip: '192.0.2.4' },
      [`${NAT}dnat44/web`]: { label: 'web', st_mappings: [{ external_ip: '192.0.2.1', external_port: 8080, protocol: 'UDP', local_ips: [{ local_ip: '10.1.1.3', local_port: 80 }] }, { external_ip: '192.0.2.2', local_ips: [{ local_ip: '10.1.1.4' }], twice_nat: 'SELF' }] },
      [`${NAT}dnat44/lb`]: { label: 'lb', st_mappings: [{ external_ip: '192.0.2.9', local_ips: [{ local_ip: '10.0.0.1' }, { local_ip: '10.0.0.2' }] }] },
    };
    const without = translate(entries(nat));
    expect(without.desired.nat44).toBeUndefined();
    expect(without.outcomes.get(`${NAT}dnat44/web`)).toEqual({ state: 'pending', reason: expect.stringContaining('nat44-global') });
    expect(without.outcomes.get(`${NAT}dnat44/lb`)?.state).toBe('pending');

    const t = translate(entries({ ...nat, [`${NAT}nat44-global`]: { nat_interfaces: [] } }));
    expect(t.desired.nat44).toEqual({
      enabled: true,
      interfaces: [{ name: 'up', natOutside: true }],
      addressPool: [{ firstIp: '192.0.2.1', lastIp: '192.0.2.4', vrfId: 0, twiceNat: false }],
      staticMappings: [
        { name: 'web/0', externalIp: '192.0.2.1', externalPort: 8080, localIp: '10.1.1.3', localPort: 80, protocol: 'udp', vrfId: 0, twiceNat: 'disabled' },
        { name: 'web/1', externalIp: '192.0.2.2', localIp: '10.1.1.4', vrfId: 0, twiceNat: 'self' },
      ],
    });
    expect(t.outcomes.get(`${NAT}dnat44/lb`)?.reason).toMatch(/2 entries; vppkit reads exactly one/);
    expect(t.origin('nat44/static-mapping/web/1')).toBe(`${NAT}dnat44/web`);
    expect(t.origin('nat44/pool/192.0.2.3')).toBe(`${NAT}nat44-pool/p1`);
    expect(t.origin('nat44/global')).toBe(`${NAT}nat44-global`);
  });
});
