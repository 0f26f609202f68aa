/**
 * The benchmark fleet through `npm run synth`'s path (apps/synth.ts): `runSynth` into the folder
 * given, quietly, without a cache, checked for the fleet's day.
 */
import { processIo, runSynth } from '../../lib/cli';
import { FLEET_DAY } from '../fleet';
import { platform } from './fleet';

process.exitCode = runSynth(platform, { outdir: process.argv[2] ?? 'dist', quiet: true, today: FLEET_DAY }, processIo());
