/** Framed bytes for the framing and socket-read tests. */
import { FrameWriter } from '../../src/transport/index.js';

/** Frames `payloads` the way FrameWriter does. */
export function framed(payloads: Buffer[]): Buffer {
  const w = new FrameWriter();
  for (const p of payloads) {
    const out = w.begin();
    out.grow(p.length);
    p.copy(out.buf, out.pos);
    out.pos += p.length;
    w.commit();
  }
  return w.take();
}
