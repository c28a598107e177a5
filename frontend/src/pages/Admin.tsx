import { useSearchParams } from '@solidjs/router';
import { Match, Switch } from 'solid-js';
import { CatalogDataTab } from '../components/admin/CatalogDataTab';
import { HealthTab } from '../components/admin/HealthTab';
import { QueuesStorageTab } from '../components/admin/QueuesStorageTab';
import { IndexersTab } from '../components/admin/IndexersTab';
import { MediaServersTab } from '../components/admin/MediaServersTab';
import { SyncJobsTab } from '../components/admin/SyncJobsTab';
import { Tabs, type TabDef } from '../components/admin/Tabs';
import { UsersTab } from '../components/admin/UsersTab';
import { WorkersTab } from '../components/admin/WorkersTab';
import { Page } from '../components/ui/Page';

type TabKey = 'users' | 'workers' | 'jobs' | 'catalog' | 'queues' | 'indexers' | 'media-servers' | 'health';
const TABS: TabDef<TabKey>[] = [
  { key: 'users', label: 'Users' },
  { key: 'workers', label: 'Workers' },
  { key: 'jobs', label: 'Sync jobs' },
  { key: 'catalog', label: 'Catalog data' },
  { key: 'queues', label: 'Queues & storage' },
  { key: 'indexers', label: 'Indexers' },
  { key: 'media-servers', label: 'Media servers' },
  { key: 'health', label: 'Health' },
];

export default function AdminPage() {
  const [params, setParams] = useSearchParams<{ tab?: string }>();
  // The tab lives in the URL so a reload or a shared link opens the same view.
  const tab = () => TABS.find((t) => t.key === params.tab)?.key ?? 'users';
  const select = (key: TabKey) => setParams({ tab: key === 'users' ? undefined : key, q: undefined, page: undefined }, { replace: true });

  return (
    <Page title="Admin" description="Accounts, workers, scheduled jobs, catalog data, storage, indexers and media servers of this /seen/ server.">
      {/* AdminGate (routes.tsx) shows non-admins an "admins only" page instead of this one. */}
      <Tabs label="Admin sections" tabs={TABS} selected={tab()} onSelect={select}>
        <Switch>
          <Match when={tab() === 'users'}><UsersTab /></Match>
          <Match when={tab() === 'workers'}><WorkersTab /></Match>
          <Match when={tab() === 'jobs'}><SyncJobsTab /></Match>
          <Match when={tab() === 'catalog'}><CatalogDataTab /></Match>
          <Match when={tab() === 'queues'}><QueuesStorageTab /></Match>
          <Match when={tab() === 'indexers'}><IndexersTab /></Match>
          <Match when={tab() === 'media-servers'}><MediaServersTab /></Match>
          <Match when={tab() === 'health'}><HealthTab /></Match>
        </Switch>
      </Tabs>
    </Page>
  );
}
