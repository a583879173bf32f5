/**
 * The one place that names the VPP image the integration suite starts. Override with
 * `VPP_IMAGE=repository:tag`.
 */
export const DEFAULT_VPP_IMAGE = 'ligato/vpp-base:26.06';

export function vppImage(env: NodeJS.ProcessEnv = process.env): string {
  return env.VPP_IMAGE || DEFAULT_VPP_IMAGE;
}
