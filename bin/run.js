#!/usr/bin/env node
// ggen CLI entry point (production: compiled commands in dist/, oclif.manifest.json)
import {execute} from '@oclif/core'

await execute({dir: import.meta.url})
