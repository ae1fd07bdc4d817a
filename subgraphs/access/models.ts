/**
 * The access subgraph's collections: care relationships and audit events. Their schemas live
 * in the kit because every subgraph writes them; this subgraph owns the database.
 */
export { registerAccessStoreModels as registerModels, type AccessStoreModels as AccessModels, type AuditEventDoc } from '../kit/access-store';
