/**
 * postgres.js 3.4 schedules small protocol writes on the next tick; when the server ends the
 * connection in between (pg_terminate_backend, a restart), that write throws from a timer,
 * outside any promise: an uncaught exception that would end the process (issue 20). The query
 * concerned has already failed with the connection's error, so nothing is lost by ignoring it.
 */
export function isPostgresLateWrite(e: unknown) {
  // Duck-typed: the test runner hands over a serialised copy of the error.
  const { message = "", stack = "" } = (e ?? {}) as { message?: string; stack?: string };
  return /reading 'write'/.test(message) && /postgres[\\/]src[\\/]connection\.js/.test(stack) && /nextWrite/.test(stack);
}

/** Installs the filter for a process (the worker); anything else still ends the process. */
export function ignorePostgresLateWrites(warn: (message: string) => void) {
  process.on("uncaughtException", (e) => {
    if (isPostgresLateWrite(e)) return warn("postgres.js wrote to a closed connection (ignored)");
    console.error(e);
    process.exit(1);
  });
}
