/**
 * `npm run keys`: writes the local key pairs into DATA_DIR/keys (if missing) and prints where,
 * for a deployment that mounts them (docker-compose.yml) without running `npm start` first.
 */

import { ensureLocalKeys } from '../bin/keys';
import { loadConfig } from '../platform/config';

const files = ensureLocalKeys(loadConfig());
for (const [name, file] of Object.entries(files)) console.log(`${name}: ${file}`);
