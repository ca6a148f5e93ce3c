#!/usr/bin/env node
// Entry point installed as `sluice`. snowflake-sdk probes cloud metadata hosts while its module is
// evaluated unless this variable is set first, so it is set here, before anything else loads.
process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION ??= 'true';
process.env.SF_TELEMETRY_DISABLE_CONNECTION_SHAPE ??= 'true';
// `sluice list | head` closes the pipe early; that is the reader's choice, not a failure.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
