/**
 * Getting started (docs/guides/getting-started.md): connect, a first call, a first dump.
 *
 *   VPP_API_SOCKET=/run/vpp/api.sock node --import tsx examples/guide-getting-started.ts
 */
import { connect } from 'vppkit';

const client = await connect({
  socket: process.env.VPP_API_SOCKET ?? '/run/vpp/api.sock',
  name: 'my-agent', // how VPP lists this client (`show api clients`)
});
try {
  const { version } = await client.request('show_version');
  console.log(`connected to VPP ${version}`);

  const interfaces = client.dump('sw_interface_dump');
  for await (const i of interfaces) {
    console.log(`${i.sw_if_index} ${i.interface_name} ${i.flags & 1 ? 'up' : 'down'}`);
  }
} finally {
  await client.close();
}
