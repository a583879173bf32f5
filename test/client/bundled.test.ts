/**
 * VPP's table of return codes is not vppkit's code: it comes with the bundled bindings, which the
 * client loads when it connects. Before that, or without them, a code is named UNKNOWN, and the
 * description says why.
 */
import { describe, expect, it } from 'vitest';
import { bundledModules, loadErrorTable } from '../../src/client/bundled.js';
import { VppApiError, describeRetval } from '../../src/errors/retval.js';
import { modules } from '../../src/gen/index.js';

describe('the bundled bindings, loaded on demand', () => {
  it('name no return code before the error table is loaded', () => {
    expect(describeRetval(-2)).toEqual({ name: 'UNKNOWN', description: 'return code -2 cannot be named: no table of VPP return codes is loaded' });
    expect(new VppApiError('sw_interface_set_flags', -2).symbol).toBe('UNKNOWN');
  });

  it("name every code VPP defines once the table is loaded, and no other", async () => {
    await loadErrorTable();
    expect(describeRetval(-2)).toEqual({ name: 'INVALID_SW_IF_INDEX', description: 'Invalid sw_if_index' });
    expect(new VppApiError('sw_interface_set_flags', -2).message).toBe('sw_interface_set_flags: VPP returned -2 INVALID_SW_IF_INDEX (Invalid sw_if_index)');
    expect(describeRetval(-9999)).toEqual({ name: 'UNKNOWN', description: 'return code -9999 is not one VPP defines' });
  });

  it('give the generated modules themselves', async () => {
    expect(await bundledModules()).toBe(modules);
  });
});
