#!/usr/bin/env node
// The `tessera` command: the compiled CLI (npm ci builds it through the `prepare` script).
require('../dist/apps/cli/src/main.js');
