/**
 * One jest run for the whole repository. Sources are native ES modules (NodeNext, `.js` import
 * suffixes), so jest runs in ESM mode (`npm run jest` passes --experimental-vm-modules) and
 * @swc/jest strips the types without type-checking (`npm run typecheck` does that).
 */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'es6' },
      },
    ],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  // web/ has its own runner (vitest with jsdom: `npm run test -w web`), which scripts/test.sh runs.
  testMatch: ['<rootDir>/{packages,subgraphs,gateway,sdk,e2e,bench,deploy}/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 30000,
  maxWorkers: 2,
};
