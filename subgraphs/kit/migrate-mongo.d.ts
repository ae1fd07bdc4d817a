// migrate-mongo ships no types; subgraphs/kit/migrations.ts declares the part it uses.
declare module 'migrate-mongo';
