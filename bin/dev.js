#!/usr/bin/env node
// development entry point: same as run.js, but oclif is told it is in development
import {execute} from '@oclif/core'

await execute({development: true, dir: import.meta.url})
