import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  clientDocumentGlobs,
  IntendedBreaksFileError,
  loadDocumentSet,
  readCodegenConfig,
  recordRelease,
  runSchemaCheck,
  SCHEMA_CHECK_FILES,
} from '../src/index.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

const RELEASED = `
type Project { id: ID! name: String! description: String }
type Query { project(id: ID!): Project }
`;

/** A scratch repository: the two schemas, the intended breaks and an SDK and a web app document. */
let root: string;

async function put(file: string, text: string) {
  await mkdir(path.dirname(path.join(root, file)), { recursive: true });
  await writeFile(path.join(root, file), text);
}

async function check() {
  const documents = [
    await loadDocumentSet('sdk', ['sdk/**/*.graphql'], root),
    await loadDocumentSet('web', ['web/**/*.tsx'], root),
  ];
  return runSchemaCheck({ root, documents });
}

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'schema-check-'));
  await put(SCHEMA_CHECK_FILES.released, RELEASED);
  await put(SCHEMA_CHECK_FILES.current, RELEASED);
  await put('sdk/projects.graphql', 'query Project($id: ID!) { project(id: $id) { id name } }');
  await put(
    'web/Project.tsx',
    [
      "import { graphql } from './generated';",
      'export const ProjectDescription = graphql(`',
      '  query ProjectDescription($id: ID!) { project(id: $id) { id description } }',
      '`);',
    ].join('\n'),
  );
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('runSchemaCheck over files', () => {
  it('passes an unchanged schema and reads both consumers’ documents', async () => {
    const result = await check();
    expect(result.ok).toBe(true);
    expect(result.validated).toEqual([
      { consumer: 'sdk', documents: 1 },
      { consumer: 'web', documents: 1 },
    ]);
  });

  it('fails when a field an operation in a graphql() call uses is removed, even if accepted', async () => {
    await put(SCHEMA_CHECK_FILES.current, RELEASED.replace('description: String', ''));
    await put(
      SCHEMA_CHECK_FILES.intended,
      JSON.stringify({
        changes: [{ path: 'Project.description', type: 'FIELD_REMOVED', reason: 'unused' }],
      }),
    );
    const result = await check();
    expect(result.ok).toBe(false);
    expect(result.breaking).toEqual([]);
    expect(result.invalidDocuments.map((document) => document.location)).toEqual([
      'web/Project.tsx',
    ]);
  });

  it('passes a break no client uses once the intended file lists it', async () => {
    await put(SCHEMA_CHECK_FILES.current, RELEASED.replace('description: String', ''));
    await put('web/Project.tsx', 'export const nothing = 1;');
    expect((await check()).ok).toBe(false);

    await put(
      SCHEMA_CHECK_FILES.intended,
      JSON.stringify({
        changes: [{ path: 'Project.description', type: 'FIELD_REMOVED', reason: 'unused' }],
      }),
    );
    const result = await check();
    expect(result.ok).toBe(true);
    expect(result.accepted).toHaveLength(1);
  });

  it('refuses an intended entry without a reason', async () => {
    await put(
      SCHEMA_CHECK_FILES.intended,
      JSON.stringify({ changes: [{ path: 'Project.description', type: 'FIELD_REMOVED' }] }),
    );
    await expect(check()).rejects.toThrow(IntendedBreaksFileError);
  });

  it('makes the current schema the released baseline and empties the intended list on release', async () => {
    const current = `${RELEASED}\ntype Mutation { renameProject(id: ID!, name: String!): Project }\n`;
    await put(SCHEMA_CHECK_FILES.current, current);
    await recordRelease(root);
    const baseline = await readFile(path.join(root, SCHEMA_CHECK_FILES.released), 'utf8');
    expect(baseline).toMatch(/^# The public API as last released/);
    expect(baseline).toContain(current);
    expect((await runSchemaCheck({ root, documents: [] })).safe).toEqual([]);
    const intended = JSON.parse(
      await readFile(path.join(root, SCHEMA_CHECK_FILES.intended), 'utf8'),
    ) as { changes: unknown[] };
    expect(intended.changes).toEqual([]);
  });
});

describe('the client documents of the repository', () => {
  it('are every codegen output generated from schema/api.graphql (the SDK and the web app)', async () => {
    const outputs = clientDocumentGlobs(await readCodegenConfig(REPO), SCHEMA_CHECK_FILES.current);
    expect(outputs.map((output) => output.consumer)).toEqual([
      'sdk/src/generated/operations.ts',
      'web/src/generated/',
    ]);
    for (const { consumer, globs } of outputs) {
      const set = await loadDocumentSet(consumer, globs, REPO);
      expect(set.sources.length).toBeGreaterThan(0);
    }
  });
});
