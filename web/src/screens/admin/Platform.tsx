import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { operations } from '@acme/sdk';
import { usePlatformClient } from '../../session/SessionContext.js';
import { Chart } from '../../charts/Chart.js';
import { Empty, ErrorNotice, Loading, QueryState } from '../../ui/states.js';
import { useMe } from './use-me.js';
import { UserList } from './UserList.js';

const EVENT_TYPES = [
  'events',
  'document.created',
  'document.updated',
  'project.created',
  'user.signed_up',
];

/** Platform administration (role ADMIN only): event metrics and the user list. */
export function Platform() {
  const me = useMe();
  if (me.isPending) return <Loading />;
  if (me.error) return <ErrorNotice error={me.error} />;
  if (me.data?.role !== 'ADMIN') {
    return (
      <section className="card" data-testid="admin-forbidden">
        <h2>Platform administrators only</h2>
        <p>
          Your account is not a platform administrator, so these screens are not available to you.
          Ask an administrator to promote you.
        </p>
      </section>
    );
  }
  return (
    <div className="stack">
      <EventMetrics />
      <UserList />
    </div>
  );
}

function EventMetrics() {
  const client = usePlatformClient();
  const [name, setName] = useState('events');
  const [granularity, setGranularity] = useState<operations.Granularity>('HOUR');
  const window = useMemo(() => {
    const to = new Date();
    to.setMinutes(to.getMinutes() + 1, 0, 0);
    const spanMs =
      granularity === 'MINUTE' ? 3_600_000 : granularity === 'HOUR' ? 86_400_000 : 30 * 86_400_000;
    return { from: new Date(to.getTime() - spanMs).toISOString(), to: to.toISOString() };
  }, [granularity]);
  const metrics = useQuery({
    queryKey: ['metrics', name, granularity, window.from],
    queryFn: () => client.analytics.metrics({ name, granularity, ...window }),
  });
  const chart = useMemo(() => {
    const points = metrics.data?.points ?? [];
    return {
      x: points.map((point) => Date.parse(point.bucket) / 1000),
      series: [{ label: name, values: points.map((point) => point.value), color: '#1d4ed8' }],
    };
  }, [metrics.data, name]);
  return (
    <section className="card" aria-labelledby="metrics-heading">
      <h2 id="metrics-heading">Event metrics</h2>
      <div className="filters">
        <label>
          Event
          <select value={name} onChange={(e) => setName(e.target.value)}>
            {EVENT_TYPES.map((type) => (
              <option key={type} value={type}>
                {type === 'events' ? 'all events' : type}
              </option>
            ))}
          </select>
        </label>
        <label>
          Per
          <select
            value={granularity}
            onChange={(e) => setGranularity(e.target.value as operations.Granularity)}
          >
            <option value="MINUTE">minute (last hour)</option>
            <option value="HOUR">hour (last day)</option>
            <option value="DAY">day (last 30 days)</option>
          </select>
        </label>
      </div>
      <QueryState query={metrics} label="Loading metrics…">
        {(series) =>
          series.points.length === 0 ? (
            <Empty>No data in this period.</Empty>
          ) : (
            <Chart
              title={`${name} per ${granularity.toLowerCase()}`}
              x={chart.x}
              series={chart.series}
            />
          )
        }
      </QueryState>
    </section>
  );
}
