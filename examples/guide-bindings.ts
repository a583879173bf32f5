/**
 * Bindings for your VPP (docs/guides/bindings.md): the compatibility report, picking modules,
 * definitions read from a directory, and definitions asked from VPP itself.
 *
 *   VPP_API_SOCKET=/run/vpp/api.sock VPP_API_DIR=/usr/share/vpp/api node --import tsx examples/guide-bindings.ts
 */
import { type MessageMap, connect } from 'vppkit';
import { acl_add_replace, apiModule as aclModule, type Messages as AclMessages } from 'vppkit/acl';

const socket = process.env.VPP_API_SOCKET ?? '/run/vpp/api.sock';

// The bundled bindings (the default): which of their messages does this VPP have?
const client = await connect({ socket });
const report = client.compatibility;
console.log(`${report.present.length} present, ${report.missing.length} missing, ${report.otherCrc.length} with another CRC`);
for (const m of report.otherCrc) console.log(`  ${m.name}: ${m.crc} here, ${m.vppCrc} in VPP`);
console.log(`acl_add_replace is ${report.status(acl_add_replace).status}`);
await client.close();

// Only the modules you use, typed by their message map.
const acl = await connect<AclMessages>({ socket, definitions: [aclModule] });
const acls = await acl.dump('acl_dump', { acl_index: 0xffffffff }).toArray();
console.log(`${acls.length} ACL(s); complete: ${acl.compatibility.complete}`);
await acl.close();

// .api.json files read when connecting: any message by name, values untyped.
const apiDir = process.env.VPP_API_DIR ?? '/usr/share/vpp/api';
const fromDir = await connect<MessageMap>({ socket, definitions: { apiDir } });
const ping = await fromDir.request('control_ping');
console.log(`VPP's pid is ${String(ping.vpe_pid)}`);
await fromDir.close();

// VPP's own definitions, through get_api_json: no files needed.
const live = await connect<MessageMap>({ socket, definitions: 'vpp' });
const version = await live.request('show_version');
console.log(`VPP ${String(version.version)} sent ${live.compatibility.present.length} definitions`);
await live.close();
