/**
 * The command as typed, with the variables that changed the run: the bench's own, and gateway
 * policy settings the services inherit (SUBGRAPH_TIMEOUT_MS, say); the ones the bench sets itself
 * for every service (ports, stores, secrets, subgraph URLs) are not inherited. `mode` is the
 * argument naming the benchmark (`abuse`), none for the full one.
 */
export function commandLine(mode?: string): string {
  const variables = Object.entries(process.env)
    .filter(([name]) =>
      /^(BENCH|SUBGRAPH|RATE_LIMIT|RESPONSE_CACHE|MAX|COST|WORKER|OPERATION_DEDUP|METRICS)_/.test(
        name,
      ),
    )
    .filter(([name]) => !name.startsWith('SUBGRAPH_URL_'))
    .map(([name, value]) => `${name}=${value}`);
  const event = process.env.npm_lifecycle_event;
  const command =
    event === 'bench'
      ? `npm run bench${mode ? ` -- ${mode}` : ''}`
      : event?.startsWith('bench:')
        ? `npm run ${event}`
        : `npx tsx bench/src/run.ts${mode ? ` ${mode}` : ''}`;
  return [...variables, command].join(' ');
}
