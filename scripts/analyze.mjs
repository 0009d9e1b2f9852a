#!/usr/bin/env node
/**
 * `npm run analyze`: the bundled CLI, rebuilt first when a source file changed (a developer
 * never runs a stale bundle), then run in this same process.
 */
import { ensureCli } from './build-cli.mjs';

const bundle = await ensureCli();
await import(bundle);
