/**
 * The one place that names the VPP image the integration suite starts: ligato/vpp-base, built
 * from FD.io's release packages; `latest` follows the newest VPP release it was rebuilt with. The
 * suite checks that VPP is 26.06 or newer. Override with `VPP_IMAGE=repository:tag`.
 */
export const DEFAULT_VPP_IMAGE = 'ligato/vpp-base:latest';

/** The image to start: `$VPP_IMAGE`, else {@link DEFAULT_VPP_IMAGE}. */
export function vppImage(env: NodeJS.ProcessEnv = process.env): string {
  return env.VPP_IMAGE || DEFAULT_VPP_IMAGE;
}
