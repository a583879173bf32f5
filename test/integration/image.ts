/**
 * The one place that names the VPP image the integration suite starts: ligato/vpp-base, built
 * from FD.io's release packages; `latest` follows the newest VPP release it was rebuilt with. The
 * suite checks that VPP is 26.06 or newer. Override with `VPP_IMAGE=repository:tag`.
 */
export const DEFAULT_VPP_IMAGE = 'ligato/vpp-base:latest';

/**
 * The repository of the images `npm run vpp-image` builds from a VPP on this machine
 * (test/integration/image/): they exist only where they were built, so they are never pulled.
 */
export const LOCAL_VPP_REPOSITORY = 'vppkit-vpp';

/** The image to start: `$VPP_IMAGE`, else {@link DEFAULT_VPP_IMAGE}. */
export function vppImage(env: NodeJS.ProcessEnv = process.env): string {
  return env.VPP_IMAGE || DEFAULT_VPP_IMAGE;
}
