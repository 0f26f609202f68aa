import * as fs from 'fs';
import * as path from 'path';
import { diffOutputs, readOutputFiles, renderDiffMarkdown, renderDiffText } from '../diff';
import { CliError, CliIo } from './io';

/** The formats `ops-constructs diff` writes. */
export const DIFF_FORMATS = ['text', 'md'] as const;

/** A format of `ops-constructs diff`: plain text, or Markdown for a pull-request comment. */
export type DiffFormat = (typeof DIFF_FORMATS)[number];

/** Options of `runDiff`. */
export interface DiffRunOptions {
  /** The base's output folder (e.g. the target branch's synthesis). */
  readonly base: string;
  /** The head's output folder (the change's synthesis). */
  readonly head: string;
  /**
   * How the base is named in the heading (a branch, say).
   * @default the base folder as given
   */
  readonly baseName?: string;
  /**
   * How the head is named in the heading.
   * @default the head folder as given
   */
  readonly headName?: string;
  /**
   * How to write the diff.
   * @default 'text'
   */
  readonly format?: DiffFormat;
  /**
   * Exit with 1 when the outputs differ, as `git diff --exit-code` does.
   * @default false
   */
  readonly exitCode?: boolean;
}

function outputFolder(io: CliIo, given: string, role: string): string {
  const dir = path.resolve(io.cwd, given);
  if (!fs.existsSync(dir)) throw new CliError(`${role} folder ${given} not found: give the folder a synthesis wrote (ops-constructs synth --out <dir>)`);
  if (!fs.statSync(dir).isDirectory()) throw new CliError(`${role} ${given} is not a folder`);
  return dir;
}

/**
 * Compares two synthesized outputs and writes a reviewer's summary to stdout.
 * @returns 0, or 1 with `exitCode` when they differ
 */
export function runDiff(options: DiffRunOptions, io: CliIo): number {
  const base = outputFolder(io, options.base, 'base');
  const head = outputFolder(io, options.head, 'head');
  const diff = diffOutputs(readOutputFiles(base), readOutputFiles(head));
  const names = { base: options.baseName ?? options.base, head: options.headName ?? options.head };
  io.stdout(options.format === 'md' ? renderDiffMarkdown(diff, names) : renderDiffText(diff, names));
  const differs = diff.objects.length > 0 || diff.files.added.length + diff.files.removed.length + diff.files.changed.length > 0;
  return options.exitCode === true && differs ? 1 : 0;
}
