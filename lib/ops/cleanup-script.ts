import * as path from 'path';

/** Where the namespace cleanup script lives in the library. */
export const CLEANUP_SCRIPT_PATH = path.join(__dirname, 'scripts', 'cleanup-namespaces.sh');
