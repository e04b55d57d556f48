import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { REPO_ROOT } from './service-configs.js';

/**
 * What can be checked of the Dockerfile without a Docker engine: its stages and instructions,
 * and that everything it copies from the build context is there (and not left out by
 * .dockerignore), which a `docker build` would otherwise be the first to find.
 * production-image.test.ts checks what its build stage makes.
 */
interface Instruction {
  keyword: string;
  args: string;
}

function instructions(): Instruction[] {
  const text = readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

/** The stages, each from its FROM to the next. */
function stages(): Instruction[][] {
  const result: Instruction[][] = [];
  for (const instruction of instructions()) {
    if (instruction.keyword === 'FROM') result.push([]);
    result.at(-1)?.push(instruction);
  }
  return result;
}

const ignorePatterns = readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));

/** Whether .dockerignore leaves this path (or a folder it is in) out of the build context. */
function ignored(file: string): boolean {
  const parts = path.normalize(file).split(path.sep);
  return parts.some((_, index) => {
    const prefix = parts.slice(0, index + 1).join('/');
    return ignorePatterns.some((pattern) => path.matchesGlob(prefix, pattern));
  });
}

describe('the Dockerfile', () => {
  const [build, runtime, ...more] = stages();

  it('builds in one stage and runs node:20-bookworm-slim in a second', () => {
    expect(more).toEqual([]);
    expect(build?.[0]?.args).toBe('node:20-bookworm-slim AS build');
    expect(runtime?.[0]?.args).toBe('node:20-bookworm-slim');
  });

  it('makes the production tree with the script the tests run, and the runtime stage holds only it', () => {
    expect(build).toContainEqual({
      keyword: 'RUN',
      args: 'bash deploy/image/build-production-tree.sh /app',
    });
    const runtimeCopies = runtime!.filter(({ keyword }) => keyword === 'COPY');
    expect(runtimeCopies).toEqual([{ keyword: 'COPY', args: '--from=build /app ./' }]);
    expect(runtime!.filter(({ keyword }) => keyword === 'RUN')).toEqual([]);
  });

  it('runs as the unprivileged node user with NODE_ENV=production, a HEALTHCHECK and the service script', () => {
    const keywords = runtime!.map(({ keyword }) => keyword);
    const user = runtime!.find(({ keyword }) => keyword === 'USER');
    expect(user?.args).toBe('node');
    // Nothing after USER runs as root.
    expect(keywords.slice(keywords.indexOf('USER'))).not.toContain('RUN');
    expect(runtime!.find(({ keyword }) => keyword === 'ENV')?.args).toMatch(/NODE_ENV=production/);
    expect(runtime!.find(({ keyword }) => keyword === 'HEALTHCHECK')?.args).toMatch(
      /CMD \["\/app\/deploy\/image\/service\.sh", "healthcheck"\]$/,
    );
    expect(runtime!.find(({ keyword }) => keyword === 'CMD')?.args).toBe(
      '["/app/deploy/image/service.sh"]',
    );
  });

  it('copies from the build context only what exists there and .dockerignore keeps', () => {
    const sources = build!
      .filter(({ keyword, args }) => keyword === 'COPY' && !args.startsWith('--from'))
      .flatMap(({ args }) => args.split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) {
      expect({ source, exists: existsSync(path.join(REPO_ROOT, source)) }).toEqual({
        source,
        exists: true,
      });
      expect({ source, ignored: ignored(source) }).toEqual({ source, ignored: false });
    }
    // What the build makes itself is never copied in from a developer's machine.
    for (const built of ['node_modules', 'gateway/node_modules', 'gateway/dist', 'web/dist']) {
      expect({ built, ignored: ignored(built) }).toEqual({ built, ignored: true });
    }
  });
});
