import { MemoryRouter } from '@solidjs/router';
import { fireEvent, render, screen, within } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { StatusIndicator } from '../layout/StatusIndicator';
import { createHealthStore } from '../../stores/health';
import { healthyReport, jsonResponse, stubFetch } from '../../test/fakes';
import { ServiceHealth } from './ServiceHealth';

const degradedReport = {
  status: 'degraded',
  components: {
    ...healthyReport.components,
    redis: { ok: false, detail: 'Connection refused (127.0.0.1:6379)' },
    sqs: { ok: false, detail: 'Queue seen-worker-events does not exist' },
  },
};

function tile(name: string) {
  const item = screen.getByRole('list', { name: 'Service components' }).querySelector(`[data-component="${name}"]`);
  if (!(item instanceof HTMLElement)) throw new Error(`no tile for ${name}`);
  return item;
}

describe('service health', () => {
  it('shows loading, then every component as operational', async () => {
    const fetch = stubFetch(() => jsonResponse(200, healthyReport));
    render(() => <ServiceHealth store={createHealthStore()} />);

    expect(screen.getByRole('status')).toHaveTextContent('Checking services');
    expect(await screen.findByText('All services running')).toBeInTheDocument();

    expect(new URL((fetch.mock.calls[0]![0] as Request).url).pathname).toBe('/api/v1/health/ready');
    for (const name of ['postgres', 'redis', 's3', 'sqs', 'dynamodb']) {
      expect(tile(name)).toHaveAttribute('data-ok', 'true');
      expect(within(tile(name)).getByText('Operational')).toBeInTheDocument();
    }
    expect(within(tile('postgres')).getByText('Database')).toBeInTheDocument();
    expect(within(tile('postgres')).getByText('PostgreSQL 16.4')).toBeInTheDocument();
  });

  it('reads a 503 answer as a degraded report and names what is down', async () => {
    stubFetch(() => jsonResponse(503, degradedReport));
    const store = createHealthStore();
    render(() => <ServiceHealth store={store} />);

    expect(await screen.findByText(/2 of 5 services down/)).toBeInTheDocument();
    expect(store.status()).toBe('degraded');
    expect(within(tile('redis')).getByText('Down')).toBeInTheDocument();
    expect(within(tile('redis')).getByText('Connection refused (127.0.0.1:6379)')).toBeInTheDocument();
    expect(within(tile('sqs')).getByText('Down')).toBeInTheDocument();
    expect(within(tile('postgres')).getByText('Operational')).toBeInTheDocument();
  });

  it('shows an error with the reason when the API cannot be reached, and retries', async () => {
    let up = false;
    const fetch = stubFetch(() =>
      up ? jsonResponse(200, healthyReport) : new Response('Bad Gateway', { status: 502 }),
    );
    const store = createHealthStore();
    render(() => <ServiceHealth store={store} />);

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent("Can't check on your services");
    expect(alert).toHaveTextContent('HTTP 502');
    expect(store.status()).toBe('unreachable');

    up = true;
    fireEvent.click(within(alert).getByRole('button', { name: /try again/i }));
    expect(await screen.findByText('All services running')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('does not mistake a 503 without a health body for a report', async () => {
    stubFetch(() => jsonResponse(503, { error: { code: 'service_unavailable', message: 'Starting up.' } }));
    render(() => <ServiceHealth store={createHealthStore()} />);
    expect(await screen.findByRole('alert')).toHaveTextContent('Starting up.');
  });

  it('feeds the top-bar indicator from the same single request', async () => {
    const fetch = stubFetch(() => jsonResponse(503, degradedReport));
    const store = createHealthStore();
    render(() => (
      <MemoryRouter
        root={() => (
          <>
            <StatusIndicator store={store} />
            <ServiceHealth store={store} />
          </>
        )}
      >
        {[]}
      </MemoryRouter>
    ));

    const indicator = await screen.findByRole('link', { name: 'Service status: Some services are down' });
    expect(indicator).toHaveAttribute('data-status', 'degraded');
    expect(await screen.findByText(/2 of 5 services down/)).toBeInTheDocument();
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('marks the indicator offline when the API is unreachable', async () => {
    stubFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    render(() => <MemoryRouter root={() => <StatusIndicator store={createHealthStore()} />}>{[]}</MemoryRouter>);
    expect(await screen.findByRole('link', { name: 'Service status: The API is unreachable' })).toBeInTheDocument();
  });
});
