/**
 * `npm run keys`: writes the local key pairs into DATA_DIR/keys (if missing) and prints where,
 * for a deployment that mounts them (docker-compose.yml) without running `npm start` first.
 */
import { loadConfig } from '../subgraphs/kit/config';
import { ensureLocalKeys } from './keys';

const files = ensureLocalKeys(loadConfig());
for (const [name, file] of Object.entries(files)) console.log(`${name}: ${file}`);
