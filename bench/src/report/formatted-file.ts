import { writeFile } from 'node:fs/promises';
import prettier from 'prettier';

/**
 * Writes a generated file as the repository's prettier settings format it (the parser follows the
 * file name), so `npm run lint` accepts what the benchmark writes.
 */
export async function writeFormatted(file: string, text: string): Promise<void> {
  const options = (await prettier.resolveConfig(file)) ?? {};
  await writeFile(file, await prettier.format(text, { ...options, filepath: file }));
}
