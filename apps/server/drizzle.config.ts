import { defineConfig } from 'drizzle-kit';

// Only `drizzle-kit generate` uses this file: it diffs the *.tables.ts files
// against the migration snapshots. Migrations are applied by the app
// (`npm run cli -- migrate`), never by drizzle-kit push.
export default defineConfig({
  dialect: 'postgresql',
  schema: './apps/server/src/**/*.tables.ts',
  out: './apps/server/migrations',
});
