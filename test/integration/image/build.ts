/**
 * Builds a VPP image from a VPP install on this machine, with no registry:
 *   npm run vpp-image -- [VPP_DIR] [--tag NAME:TAG]
 * VPP_DIR defaults to ../shared/vpp/26.06 beside the checkout; it holds bin/vpp and bin/vppctl, and
 * lib/vpp_plugins (a relocatable build) or lib/x86_64-linux-gnu/vpp_plugins (an install prefix
 * such as /usr). The tag defaults to vppkit-vpp:MAJOR.MINOR from `vpp --version`.
 *
 * It stages a root filesystem in a temporary folder: VPP at the Debian package's paths
 * (/usr/bin, /usr/lib/x86_64-linux-gnu, its vpp_plugins), every shared library `ldd` reports for
 * VPP and its plugins, and test/integration/startup.conf as /etc/vpp/startup.conf; then runs
 * `docker build` with ./Dockerfile. x86_64 only.
 */
import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { LOCAL_VPP_REPOSITORY } from '../image.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const LOADER = '/lib64/ld-linux-x86-64.so.2';
const LIB_DIR = 'usr/lib/x86_64-linux-gnu';
const BINARIES = ['vpp', 'vppctl', 'vpp_get_stats'];
const REQUIRED_BINARIES = new Set(['vpp', 'vppctl']);

/** The image tag for the VPP at `vpp`: MAJOR.MINOR from its `--version`. */
async function defaultTag(vpp: string): Promise<string> {
  const { stdout } = await run(vpp, ['--version'], { timeout: 10_000 });
  const m = /\bv(\d+\.\d+)/.exec(stdout);
  if (!m) throw new Error(`${vpp} --version printed no version (${JSON.stringify(stdout.trim())}): pass --tag NAME:TAG`);
  return `${LOCAL_VPP_REPOSITORY}:${m[1]}`;
}

/** The plugin folder of a VPP install: relocatable build, or Debian-style prefix. */
function pluginDir(vppDir: string): string {
  const candidates = [join(vppDir, 'lib', 'vpp_plugins'), join(vppDir, 'lib', 'x86_64-linux-gnu', 'vpp_plugins')];
  const found = candidates.find((d) => existsSync(d));
  if (!found) throw new Error(`${vppDir}: no VPP plugin folder (looked for ${candidates.join(', ')})`);
  return found;
}

/** The shared libraries `file` loads, soname → path on this machine, as `ldd` resolves them. */
async function sharedLibraries(file: string): Promise<Map<string, string>> {
  const { stdout } = await run('ldd', [file], { timeout: 30_000 });
  const libs = new Map<string, string>();
  for (const line of stdout.split('\n').map((l) => l.trim()).filter(Boolean)) {
    if (line.startsWith('linux-vdso.so')) continue; // provided by the kernel
    const linked = /^(\S+) => (.+?) \(0x[0-9a-f]+\)$/.exec(line);
    const loader = /^(\/\S+) \(0x[0-9a-f]+\)$/.exec(line);
    if (linked) libs.set(linked[1]!, linked[2]!);
    else if (loader && loader[1] === LOADER) libs.set(LOADER, LOADER);
    else if (loader) throw new Error(`${file} needs the loader ${loader[1]}; this recipe builds x86_64 images only (${LOADER})`);
    else if (line.includes('not found')) throw new Error(`${file}: ldd cannot find ${line.split(' ')[0]} on this machine`);
    else throw new Error(`${file}: unexpected ldd line ${JSON.stringify(line)}`);
  }
  return libs;
}

/** Copies `from` (following symlinks) to `rootfs/to`, keeping it executable. */
function place(rootfs: string, from: string, to: string): void {
  const dest = join(rootfs, to);
  mkdirSync(dirname(dest), { recursive: true });
  copyFileSync(realpathSync(from), dest);
  chmodSync(dest, 0o755);
}

/** Stages the image's root filesystem for the VPP install at `vppDir` into `rootfs`. */
async function stageRootfs(vppDir: string, rootfs: string): Promise<void> {
  const plugins = pluginDir(vppDir);
  const elves: string[] = [];
  for (const name of BINARIES) {
    const bin = join(vppDir, 'bin', name);
    if (!existsSync(bin)) {
      if (REQUIRED_BINARIES.has(name)) throw new Error(`${vppDir}: no bin/${name}`);
      continue;
    }
    place(rootfs, bin, `usr/bin/${name}`);
    elves.push(bin);
  }
  for (const name of readdirSync(plugins).filter((n) => n.endsWith('.so'))) {
    place(rootfs, join(plugins, name), `${LIB_DIR}/vpp_plugins/${name}`);
    elves.push(join(plugins, name));
  }
  const libs = new Map<string, string>();
  for (const elf of elves) for (const [soname, path] of await sharedLibraries(elf)) libs.set(soname, path);
  for (const [soname, path] of libs) place(rootfs, path, soname === LOADER ? LOADER : `${LIB_DIR}/${soname}`);
  mkdirSync(join(rootfs, 'etc', 'vpp'), { recursive: true });
  copyFileSync(join(here, '..', 'startup.conf'), join(rootfs, 'etc', 'vpp', 'startup.conf'));
  mkdirSync(join(rootfs, 'run', 'vpp'), { recursive: true });
  mkdirSync(join(rootfs, 'tmp'), { recursive: true });
  chmodSync(join(rootfs, 'tmp'), 0o1777);
}

/** Builds the image `tag` from the VPP install at `vppDir`. */
export async function buildImage(vppDir: string, tag: string): Promise<void> {
  const context = mkdtempSync(join(tmpdir(), 'vppkit-vpp-image-'));
  try {
    await stageRootfs(vppDir, join(context, 'rootfs'));
    copyFileSync(join(here, 'Dockerfile'), join(context, 'Dockerfile'));
    await run('docker', ['build', '--tag', tag, context], { timeout: 600_000, maxBuffer: 64 << 20 });
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const { values, positionals } = parseArgs({ options: { tag: { type: 'string' } }, allowPositionals: true });
  if (positionals.length > 1) {
    console.error('usage: npm run vpp-image -- [VPP_DIR] [--tag NAME:TAG]');
    process.exit(2);
  }
  const vppDir = resolve(positionals[0] ?? join(here, '..', '..', '..', '..', 'shared', 'vpp', '26.06'));
  try {
    const vpp = join(vppDir, 'bin', 'vpp');
    if (!existsSync(vpp)) throw new Error(`${vppDir}: no bin/vpp; give the folder of a VPP install (bin/vpp, bin/vppctl, its vpp_plugins)`);
    const tag = values.tag ?? await defaultTag(vpp);
    await buildImage(vppDir, tag);
    console.log(`built ${tag} from ${vppDir}\nVPP_IMAGE=${tag}`);
  } catch (err) {
    console.error(`vpp-image: ${(err as Error).message}`);
    process.exit(1);
  }
}
