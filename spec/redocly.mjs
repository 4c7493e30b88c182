#!/usr/bin/env node
// Runs the Redocly CLI with its arguments, minus one thing: on Node 20 it prints a framed "Node.js
// 20 support is ending" notice on every run, which no option turns off. We support Node 20 on
// purpose (see engines), so the notice is noise a user would learn to ignore; everything else on
// stderr (problems, errors) passes through unchanged, and the exit code is Redocly's.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { stripVTControlCharacters } from 'node:util';

const require = createRequire(import.meta.url);
const manifest = require.resolve('@redocly/cli/package.json');
const cli = join(dirname(manifest), require(manifest).bin.redocly);

const child = spawn(process.execPath, [cli, ...process.argv.slice(2)], {
  stdio: ['inherit', 'inherit', 'pipe'],
});

// The notice is one box: a line starting with ╔, lines starting with ║, a line starting with ╚.
let box = [];
createInterface({ input: child.stderr }).on('line', (line) => {
  const trimmed = stripVTControlCharacters(line).trimStart();
  if (box.length === 0 && !trimmed.startsWith('╔')) return void process.stderr.write(`${line}\n`);
  box.push(line);
  if (!trimmed.startsWith('╚')) return;
  const text = box.join('\n');
  if (!/Node\.js 20 (support is ending|reached end-of-life)/.test(text)) process.stderr.write(`${text}\n`);
  box = [];
});
child.on('close', (code, signal) => {
  if (box.length > 0) process.stderr.write(`${box.join('\n')}\n`);
  process.exit(signal ? 1 : (code ?? 1));
});
