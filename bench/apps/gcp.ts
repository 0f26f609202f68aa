/** The benchmark fleet's cdktf app: what `cdktf synth` runs at fleet scale, as apps/gcp.ts does. */
import { synthesizeGcpPlatform } from '../../lib/gcp';
import { platform } from './fleet';

synthesizeGcpPlatform({ platform, outdir: process.env.CDKTF_OUTDIR ?? 'cdktf.out' });
