/** Jest runs the TypeScript sources as native ESM (the project is "type": "module"). */
import { availableParallelism } from 'node:os';

export default {
  testEnvironment: 'node',
  // The workflow and e2e suites spend much of their time waiting (DynamoDB Local's JVM start, local
  // HTTP), so two workers overlap them even on 2 cores (jest's default there is one): 234 s
  // instead of 345 s for the whole suite on this machine.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript' },
          // Keep `with { type: 'json' }` on JSON imports (jest deprecates JSON imports without it).
          experimental: { keepImportAttributes: true },
        },
        module: { type: 'es6' },
        sourceMaps: 'inline',
      },
    ],
  },
  // Sources import siblings as './x.js' (NodeNext style); map them back to the .ts files.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testTimeout: 120000,
};
