/**
 * The codec's errors, kept importable from here; they live in the leaf `src/errors/`.
 *
 * @module
 */
export { DecodeError, ValidationError, formatPath } from '../errors/index.js';
