/**
 * The return codes the model answers with: VPP's `VNET_API_ERROR_*` values (errors.json).
 *
 * @module
 */

/** VPP API return codes, by their errors.json names. */
export const RV = {
  OK: 0,
  UNSPECIFIED: -1,
  INVALID_SW_IF_INDEX: -2,
  NO_SUCH_FIB: -3,
  NO_SUCH_ENTRY: -6,
  INVALID_VALUE: -7,
  INVALID_VALUE_2: -8,
  UNIMPLEMENTED: -9,
  INVALID_REGISTRATION: -31,
  INVALID_SRC_ADDRESS: -57,
  INVALID_DST_ADDRESS: -58,
  ADDRESS_LENGTH_MISMATCH: -59,
  ADDRESS_NOT_FOUND_FOR_INTERFACE: -60,
  INVALID_INTERFACE: -71,
  VALUE_EXIST: -81,
  ADDRESS_IN_USE: -105,
  ADDRESS_FOUND_FOR_INTERFACE: -114,
  UNSUPPORTED: -126,
  DUPLICATE_IF_ADDRESS: -127,
  ACL_IN_USE_INBOUND: -142,
  ACL_IN_USE_OUTBOUND: -143,
  EAGAIN: -165,
  FEATURE_ALREADY_DISABLED: -169,
  FEATURE_ALREADY_ENABLED: -170,
} as const;

/** `~0`: "none", "all" or "new", depending on the field. */
export const NONE = 0xffffffff;
