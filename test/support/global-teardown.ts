import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const database = globalThis.__testDatabase;
  if (!database) return;
  await database.stop();
  rmSync(database.dataDir, { recursive: true, force: true });
}
