import type { Change } from '@graphql-inspector/core';
import type { SchemaCheckResult } from './check.js';

const changeLine = (change: Change) =>
  `${change.path ?? '(schema)'}  ${change.type}  ${change.message}`;

/** What the check found, as the lines `npm run schema:check` prints (failures first). */
export function formatReport(result: SchemaCheckResult, files: { intended: string }): string[] {
  const lines: string[] = [];
  const section = (title: string, entries: string[]) => {
    if (entries.length === 0) return;
    lines.push(title, ...entries.map((entry) => `  ${entry}`), '');
  };
  section(
    `FAIL breaking changes against the released schema (${result.breaking.length}):`,
    result.breaking.map(
      (change) =>
        `${changeLine(change)}${change.criticality.reason ? ` (${change.criticality.reason})` : ''}`,
    ),
  );
  section(
    `FAIL entries of ${files.intended} that name no breaking change (remove them):`,
    result.staleEntries.map((entry) => JSON.stringify(entry)),
  );
  section(
    `FAIL client operations not valid against schema/api.graphql (${result.invalidDocuments.length}):`,
    result.invalidDocuments.flatMap((document) =>
      document.errors.map((error) => `${document.location}: ${error.message}`),
    ),
  );
  section(
    'WARN dangerous changes (existing clients may behave differently):',
    result.dangerous.map(changeLine),
  );
  section(
    'WARN client operations that use deprecated fields or values:',
    result.deprecatedUsages.flatMap((document) =>
      document.errors.map((error) => `${document.location}: ${error.message}`),
    ),
  );
  section(
    `accepted breaking changes (${files.intended}):`,
    result.accepted.map(({ change, entry }) => `${changeLine(change)}  because: ${entry.reason}`),
  );
  if (result.breaking.length > 0) {
    lines.push(
      `An intended break: add {"path", "type", "reason"} of each change to ${files.intended}.`,
      '',
    );
  }
  const validated = result.validated
    .map(({ consumer, documents }) => `${documents} of ${consumer}`)
    .join(', ');
  lines.push(`validated client documents: ${validated || 'none'}`);
  lines.push(
    result.ok
      ? `schema check passed: ${result.safe.length} safe, ${result.dangerous.length} dangerous, ${result.accepted.length} accepted breaking changes`
      : 'schema check failed',
  );
  return lines;
}
