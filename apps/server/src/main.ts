import { JobRunner } from './platform/jobs/index.js';
import { isStartupProblem, openRuntime, type Runtime } from './platform/lifecycle.js';
import {
  createMailer,
  createNotificationService,
  registerNotificationJobs,
} from './platform/notifications/index.js';
import { registerOrgImportJobs } from './modules/organization/import-job.js';
import { registerPersonnelJobs } from './modules/organization/personnel-job.js';
import { registerCheckpointJobs } from './platform/oplog/checkpoint-job.js';
import { ensureSigningKey, loadSigningKey, type SigningKey } from './platform/oplog/signing-key.js';
import { AppError } from './platform/errors.js';
import { buildServer } from './server.js';

/**
 * `npm start`: open the runtime, listen, and on SIGTERM/SIGINT shut down in
 * order: stop accepting HTTP and drain in-flight requests, stop jobs (letting
 * running handlers finish), close the mailer and the pool, stop the embedded
 * database.
 */
async function main(): Promise<void> {
  let runtime: Runtime;
  try {
    runtime = await openRuntime({ applicationName: 'mamori-server' });
  } catch (err) {
    if (isStartupProblem(err)) {
      process.stderr.write(`mamori: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const { config, logger, db } = runtime;
  // The operation-log signing key (std-7.1.4.2): `init` creates it; a first
  // start without init (no tenants yet) creates it here, with a warning.
  let signingKey: SigningKey;
  try {
    const ensured = await ensureSigningKey(config.logKeyDir);
    if (ensured.created) {
      logger.warn(
        { privateKey: ensured.paths.privateKey, verifierKey: ensured.verifierKey },
        'created the operation-log signing key: keep a copy of the private key and the public key outside this server (docs/operation-log.md)',
      );
    }
    signingKey = await loadSigningKey(config.logKeyDir);
  } catch (err) {
    if (err instanceof AppError) {
      process.stderr.write(`mamori: ${err.message}\n`);
      await runtime.close();
      process.exit(1);
    }
    throw err;
  }
  const jobs = new JobRunner({ db, logger });
  const mailer = createMailer(config);
  if (!mailer) logger.warn('SMTP_URL is not set: email notifications stay in the outbox');
  await registerNotificationJobs({ db, jobs, mailer, logger });
  await registerCheckpointJobs({ db, jobs, packs: runtime.packs, key: signingKey, logger });
  await registerPersonnelJobs({ db, jobs, packs: runtime.packs, logger });
  await registerOrgImportJobs({ db, jobs, packs: runtime.packs, logger });
  await jobs.start();
  const notifications = createNotificationService({ jobs, smtpConfigured: mailer !== null });
  const app = await buildServer({
    config,
    logger,
    db,
    packs: runtime.packs,
    notifications,
    jobs,
  });

  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, 30_000);
    force.unref();
    try {
      await app.close(); // 1. stop accepting, 2. drain in-flight requests
      await jobs.stop(); // 3. no new jobs; running handlers finish
      mailer?.close();
      await runtime.close(); // 4. close the pool, 5. stop the embedded database
      logger.info('stopped');
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  try {
    const address = await app.listen({ port: config.port, host: config.host });
    logger.info({ address, database: config.database.mode }, 'Mamori is listening');
  } catch (err) {
    logger.error({ err }, 'could not listen');
    await jobs.stop();
    await runtime.close();
    process.exit(1);
  }
}

void main();
