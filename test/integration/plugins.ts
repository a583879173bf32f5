/**
 * Which bundled modules the VPP under test lacks entirely, named by the plugin that provides them:
 * a VPP without some plugin is normal, and a comparison against the bundled bindings must say so
 * rather than fail on the first absent message.
 */
import { modules as bundled } from '../../src/gen/index.js';

/** The plugin (`<name>_plugin.so`) of each bundled module that VPP loads from a plugin; the others are VPP's core. */
const PLUGIN_OF: Readonly<Record<string, string>> = { acl: 'acl', nat44_ed: 'nat', nat44_ei: 'nat44_ei', tapv2: 'tap', memif: 'memif' };

/**
 * One line per bundled module (among `names`, default all) of which VPP has none of the messages:
 * `nat44_ei: none of its 37 messages; load nat44_ei_plugin.so`.
 */
export function absentModules(has: (message: string) => boolean, names: readonly string[] = bundled.map((m) => m.name)): string[] {
  return bundled
    .filter((m) => names.includes(m.name) && m.messages.length > 0 && m.messages.every((msg) => !has(msg.name)))
    .map((m) => `${m.name}: none of its ${m.messages.length} messages; ${PLUGIN_OF[m.name] ? `load ${PLUGIN_OF[m.name]}_plugin.so (plugins { plugin ${PLUGIN_OF[m.name]}_plugin.so { enable } })` : 'a core module: is this VPP a different build?'}`);
}
