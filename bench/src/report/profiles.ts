import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { profilesDir, repoRoot } from '../paths.js';

export interface Profile {
  /** Relative to the repository root. */
  file: string;
  text: string;
}

/** Every `*.md` in the folder, in name order; none when the folder does not exist yet. */
export function readProfiles(directory: string = profilesDir): Profile[] {
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => {
      const file = path.join(directory, name);
      return { file: path.relative(repoRoot, file), text: readFileSync(file, 'utf8') };
    });
}
