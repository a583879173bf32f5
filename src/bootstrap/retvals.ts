/**
 * The VPP return codes the client core acts on by itself (`vpp-api/26.06/errors.json` names them;
 * their values are fixed in VPP's `api_errno.h`). The full table of names and descriptions is
 * VPP's data and reaches the client with the bundled bindings (`src/errors/retval.ts`).
 *
 * @module
 */

/** VNET_API_ERROR_EAGAIN: a cursor stream stopped to yield; ask again from the cursor. */
export const EAGAIN = -165;
/** VNET_API_ERROR_INVALID_VALUE: what a cursor stream over an empty table may answer. */
export const INVALID_VALUE = -7;
