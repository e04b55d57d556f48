import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from './service-configs.js';

const run = promisify(execFile);

export const CHART = path.join(REPO_ROOT, 'deploy/helm/platform');

/**
 * scripts/test.sh installs it (ensure_helm in scripts/ensure-dependencies.sh) into the stack's
 * folder, STACK_DIR or .stack (as packages/stack/src/paths.ts reads it).
 */
const STACK_DIR = process.env.STACK_DIR
  ? path.resolve(process.env.STACK_DIR)
  : path.join(REPO_ROOT, '.stack');
export const HELM = path.join(STACK_DIR, 'tools/bin/helm');

export function assertHelmInstalled(): void {
  if (!existsSync(HELM)) {
    throw new Error(
      `${HELM} is missing: run \`bash -c 'source scripts/ensure-dependencies.sh && ensure_helm'\``,
    );
  }
}

/** One rendered Kubernetes object, as the tests read it. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // Each kind's shape differs; the tests read what they check.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
  data?: Record<string, string>;
}

export async function helm(args: string[]): Promise<string> {
  assertHelmInstalled();
  const { stdout } = await run(HELM, args, { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

/** `helm template` of the chart with these arguments (-f, --set), parsed. */
export async function renderChart(args: string[], release = 'acme'): Promise<Manifest[]> {
  const rendered = await helm(['template', release, CHART, ...args]);
  return parseAllDocuments(rendered)
    .map((document) => document.toJS() as Manifest | null)
    .filter((manifest): manifest is Manifest => manifest !== null);
}

/** What `helm template` says when it refuses to render. */
export async function renderFailure(args: string[]): Promise<string> {
  try {
    await renderChart(args);
  } catch (error) {
    return String((error as { stderr?: string }).stderr ?? error);
  }
  throw new Error(`helm template ${args.join(' ')} rendered`);
}

export function ofKind(manifests: Manifest[], kind: string): Manifest[] {
  return manifests.filter((manifest) => manifest.kind === kind);
}

export function named(manifests: Manifest[], kind: string, name: string): Manifest {
  const found = manifests.find(
    (manifest) => manifest.kind === kind && manifest.metadata.name === name,
  );
  if (!found)
    throw new Error(
      `no ${kind} ${name} among ${manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`,
    );
  return found;
}
