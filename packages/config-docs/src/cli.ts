/**
 * `npm run docs:config`: writes docs/configuration.md, every service's environment variables,
 * from the config schemas and their JSDoc (packages/config-docs/README.md).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIGURATION_REFERENCE, generateConfigurationReference } from './generate.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

generateConfigurationReference({ root: ROOT }).then(
  async ({ markdown, undocumented }) => {
    await writeFile(path.join(ROOT, CONFIGURATION_REFERENCE), markdown);
    process.stdout.write(`wrote ${CONFIGURATION_REFERENCE}\n`);
    if (undocumented.length > 0) {
      process.stdout.write(
        `${undocumented.length} variables have no description (a JSDoc comment on the key, or .describe()):\n${undocumented.map((name) => `  ${name}`).join('\n')}\n`,
      );
    }
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
