/**
 * The IP tables (VRFs) that exist, as far as the modelled messages can tell.
 *
 * @module
 */

/** An address family: 4 or 6. */
export type Af = 4 | 6;

/**
 * IP tables by family and table id. Table 0 always exists; any other exists while something
 * holds it: the API (`ip_table_add_del`), an interface bound to it, or NAT, which finds or
 * creates the tables it is given (as `fib_table_find_or_create_and_lock` does in VPP).
 */
export class Fibs {
  private readonly holders = new Map<string, Set<string>>();

  /** Whether table `id` of family `af` exists. */
  exists(af: Af, id: number): boolean {
    return id === 0 || (this.holders.get(`${af}:${id}`)?.size ?? 0) > 0;
  }

  /** Creates table `id` if needed, held by `holder`. */
  lock(af: Af, id: number, holder: string): void {
    if (id === 0) return;
    const key = `${af}:${id}`;
    let set = this.holders.get(key);
    if (!set) this.holders.set(key, (set = new Set()));
    set.add(holder);
  }

  /** Releases `holder`'s hold; the table goes when nothing holds it. */
  unlock(af: Af, id: number, holder: string): void {
    const key = `${af}:${id}`;
    const set = this.holders.get(key);
    set?.delete(holder);
    if (set?.size === 0) this.holders.delete(key);
  }

  /** Table ids of family `af` that exist, 0 included, ascending. */
  list(af: Af): number[] {
    const ids = [...this.holders.keys()].filter((k) => k.startsWith(`${af}:`)).map((k) => Number(k.slice(2)));
    return [0, ...ids.sort((a, b) => a - b)];
  }
}
