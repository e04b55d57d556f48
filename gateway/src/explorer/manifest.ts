import { readFileSync } from 'node:fs';
import path from 'node:path';

/** What the bundle build wrote: the hashed file names the page links. */
export interface ExplorerManifest {
  script: string;
  style: string;
}

/** The bundle's manifest, or undefined when the bundle was not built. */
export function readExplorerManifest(bundleDir: string): ExplorerManifest | undefined {
  try {
    const parsed = JSON.parse(
      readFileSync(path.join(bundleDir, 'manifest.json'), 'utf8'),
    ) as Partial<ExplorerManifest>;
    if (typeof parsed.script !== 'string' || typeof parsed.style !== 'string') return undefined;
    return { script: parsed.script, style: parsed.style };
  } catch {
    return undefined;
  }
}
