#!/usr/bin/env node
'use strict';
// In a checkout of the library the command runs its TypeScript sources (through tsx), so it is
// never older than they are; in an installed package, the compiled JavaScript.
const fs = require('fs');
const path = require('path');

const sources = path.join(__dirname, '..', 'lib', 'cli', 'index.ts');
let cli;
if (fs.existsSync(sources)) {
  require('tsx/cjs/api').register();
  cli = require(sources);
} else {
  cli = require('../build/lib/cli/index.js');
}
cli.main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
