import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    pool: 'forks',
    // most tests wait on child processes (the real binary, Neo4j): three workers keep both cores
    // busy; vitest's default on two cores is one (CI went from ~24 to ~15 minutes)
    maxWorkers: 3,
    globalSetup: [],
  },
})
