// migrate-mongo ships no types; platform/migrations.ts declares the part it uses.
declare module 'migrate-mongo';
