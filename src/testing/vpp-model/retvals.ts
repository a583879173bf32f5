/**
 * The return codes the model answers with: VPP's `VNET_API_ERROR_*` values, looked up by name
 * in its error table (the generated `errors.ts`), so no number is copied here.
 *
 * @module
 */
import { SimulatorError } from '../../errors/index.js';
import { vppErrors } from '../../gen/errors.js';

function code(name: string): number {
  const e = vppErrors.find((x) => x.name === name);
  if (!e) throw new SimulatorError(`VPP's error table has no ${name}`);
  return e.code;
}

/** VPP API return codes, by their errors.json names. */
export const RV = {
  OK: 0,
  UNSPECIFIED: code('UNSPECIFIED'),
  INVALID_SW_IF_INDEX: code('INVALID_SW_IF_INDEX'),
  NO_SUCH_FIB: code('NO_SUCH_FIB'),
  NO_SUCH_ENTRY: code('NO_SUCH_ENTRY'),
  INVALID_VALUE: code('INVALID_VALUE'),
  INVALID_VALUE_2: code('INVALID_VALUE_2'),
  UNIMPLEMENTED: code('UNIMPLEMENTED'),
  INVALID_REGISTRATION: code('INVALID_REGISTRATION'),
  INVALID_SRC_ADDRESS: code('INVALID_SRC_ADDRESS'),
  INVALID_DST_ADDRESS: code('INVALID_DST_ADDRESS'),
  ADDRESS_LENGTH_MISMATCH: code('ADDRESS_LENGTH_MISMATCH'),
  ADDRESS_NOT_FOUND_FOR_INTERFACE: code('ADDRESS_NOT_FOUND_FOR_INTERFACE'),
  ADDRESS_NOT_DELETABLE: code('ADDRESS_NOT_DELETABLE'),
  INVALID_INTERFACE: code('INVALID_INTERFACE'),
  VALUE_EXIST: code('VALUE_EXIST'),
  ADDRESS_IN_USE: code('ADDRESS_IN_USE'),
  ADDRESS_FOUND_FOR_INTERFACE: code('ADDRESS_FOUND_FOR_INTERFACE'),
  UNSUPPORTED: code('UNSUPPORTED'),
  DUPLICATE_IF_ADDRESS: code('DUPLICATE_IF_ADDRESS'),
  ACL_IN_USE_INBOUND: code('ACL_IN_USE_INBOUND'),
  ACL_IN_USE_OUTBOUND: code('ACL_IN_USE_OUTBOUND'),
  EAGAIN: code('EAGAIN'),
  FEATURE_ALREADY_DISABLED: code('FEATURE_ALREADY_DISABLED'),
  FEATURE_ALREADY_ENABLED: code('FEATURE_ALREADY_ENABLED'),
  INVALID_ARGUMENT: code('INVALID_ARGUMENT'),
  UNEXPECTED_INTF_STATE: code('UNEXPECTED_INTF_STATE'),
  SUBIF_ALREADY_EXISTS: code('SUBIF_ALREADY_EXISTS'),
  ENTRY_ALREADY_EXISTS: code('ENTRY_ALREADY_EXISTS'),
} as const;

/** `~0`: "none", "all" or "new", depending on the field. */
export { U32_NONE as NONE } from '../../schema/model.js';
