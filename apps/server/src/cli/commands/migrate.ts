import { UsageError, type Command } from '../command.js';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Apply pending database migrations (the server also does this at start)',
  usage: 'migrate',
  needsDatabase: true,
  run: async (args, ctx) => {
    if (args.length > 0) throw new UsageError('migrate takes no arguments');
    // Opening the database applies migrations under an advisory lock.
    await ctx.database();
    ctx.out('migrations are up to date');
  },
};
