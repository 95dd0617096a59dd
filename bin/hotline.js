#!/usr/bin/env node
// The `hotline` command. Runs the TypeScript sources through tsx so that a checkout works
// without a build step; `npm run build` produces dist/ for deployments that prefer it.
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');
