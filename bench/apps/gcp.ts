/** The benchmark fleet's cdktf app: what `cdktf synth` runs at fleet scale. */
import { GcpPlatformApp } from '../../lib/gcp';
import { platform } from './fleet';

new GcpPlatformApp({ platform }).synth();
