/**
 * `sw_interface_event` as VPP sends it: signals batched per interface, one event each.
 *
 * @module
 */

/** What can happen to an interface, as VPP's link-state process hears it. */
export type InterfaceSignal = 'add' | 'delete' | 'admin-up' | 'admin-down' | 'link-up' | 'link-down';

/** One `sw_interface_event`'s own fields. */
export interface InterfaceEvent {
  readonly sw_if_index: number;
  readonly flags: number;
  readonly deleted: boolean;
}

/**
 * Batches interface signals the way `vpe-link-state-process` does: per sw_if_index, OR-ed, then
 * one event per interface in ascending order. `flags` says which "up" signals occurred (ADMIN_UP
 * 1, LINK_UP 2), not the interface's state; `deleted` that a delete did.
 *
 * Signals raised while one request is handled form one batch, published in a microtask: after
 * the handler's reply has been written, as VPP sends events after the reply. (Whether VPP merges
 * the signals of back-to-back requests depends on timing; the model never does.)
 */
export class InterfaceEventBatch {
  private readonly pending = new Map<number, { flags: number; deleted: boolean }>();

  /** `publish` receives each event of a batch. */
  constructor(private readonly publish: (event: InterfaceEvent) => void) {}

  /** Records `signal` for `swIfIndex` in the current batch. */
  signal(swIfIndex: number, signal: InterfaceSignal): void {
    if (this.pending.size === 0) queueMicrotask(() => this.flush());
    const e = this.pending.get(swIfIndex) ?? { flags: 0, deleted: false };
    if (signal === 'admin-up') e.flags |= 1;
    if (signal === 'link-up') e.flags |= 2;
    if (signal === 'delete') e.deleted = true;
    this.pending.set(swIfIndex, e);
  }

  private flush(): void {
    const batch = [...this.pending].sort(([a], [b]) => a - b);
    this.pending.clear();
    for (const [sw_if_index, e] of batch) this.publish({ sw_if_index, ...e });
  }
}
