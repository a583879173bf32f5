/**
 * Checks of the numbers a caller gives the client (time limits, buffer sizes, backoff), where
 * they are given: a bad value is a clear error at the call site, never a timer that misfires.
 *
 * @module
 */

/** The longest delay `setTimeout` takes (2^31-1 ms, about 24.8 days); longer ones are chained. */
export const MAX_TIMER_DELAY = 0x7fffffff;

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return v === null || typeof v !== 'object' ? String(v) : 'an object';
}

/**
 * `value` as a time limit in ms: a number ≥ 0, `Infinity` for none.
 * @throws TypeError for a value that is not a number, RangeError for NaN or a negative number.
 */
export function timeoutOption(value: unknown, name: string, where: string): number {
  if (typeof value !== 'number') throw new TypeError(`${where}: ${name} must be a number of milliseconds (Infinity for none), got ${describe(value)}`);
  if (!(value >= 0)) throw new RangeError(`${where}: ${name} must be a number of milliseconds ≥ 0 (Infinity for none), got ${value}`);
  return value;
}

/**
 * `value` as a whole number in `min..max` (`Infinity` only when `max` is).
 * @throws TypeError for a value that is not a number, RangeError for one out of range.
 */
export function countOption(value: unknown, name: string, where: string, min: number, max: number): number {
  if (typeof value !== 'number') throw new TypeError(`${where}: ${name} must be a number, got ${describe(value)}`);
  if (!(value >= min && value <= max) || (value !== Infinity && !Number.isInteger(value))) {
    throw new RangeError(`${where}: ${name} must be a whole number in ${min}..${max}, got ${value}`);
  }
  return value;
}

/**
 * `value` as a number in `min..max`, fractions allowed (a backoff factor).
 * @throws TypeError for a value that is not a number, RangeError for one out of range.
 */
export function numberOption(value: unknown, name: string, where: string, min: number, max: number): number {
  if (typeof value !== 'number') throw new TypeError(`${where}: ${name} must be a number, got ${describe(value)}`);
  if (!(value >= min && value <= max)) throw new RangeError(`${where}: ${name} must be a number in ${min}..${max}, got ${value}`);
  return value;
}

/**
 * Calls `fn` after `ms` milliseconds, however long (chaining timers past {@link MAX_TIMER_DELAY});
 * never for `Infinity`. The timer does not keep the process alive. Returns the cancel function.
 */
export function after(ms: number, fn: () => void): () => void {
  if (ms === Infinity) return () => undefined;
  const at = performance.now() + ms;
  let timer: NodeJS.Timeout;
  const arm = (): void => {
    const left = at - performance.now();
    if (left <= 0) fn();
    else timer = setTimeout(arm, Math.min(Math.ceil(left), MAX_TIMER_DELAY)).unref();
  };
  timer = setTimeout(arm, Math.min(ms, MAX_TIMER_DELAY)).unref();
  return () => clearTimeout(timer);
}
