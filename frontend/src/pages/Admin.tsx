import { useSearchParams } from '@solidjs/router';
import ShieldCheck from 'lucide-solid/icons/shield-check';
import { Match, Switch } from 'solid-js';
import { QueuesStorageTab } from '../components/admin/QueuesStorageTab';
import { IndexersTab } from '../components/admin/IndexersTab';
import { SyncJobsTab } from '../components/admin/SyncJobsTab';
import { Tabs, type TabDef } from '../components/admin/Tabs';
import { UsersTab } from '../components/admin/UsersTab';
import { WorkersTab } from '../components/admin/WorkersTab';
import { EmptyState } from '../components/ui/EmptyState';
import { Page } from '../components/ui/Page';
import { useSession } from '../stores/session';

type TabKey = 'users' | 'workers' | 'jobs' | 'queues' | 'indexers';
const TABS: TabDef<TabKey>[] = [
  { key: 'users', label: 'Users' },
  { key: 'workers', label: 'Workers' },
  { key: 'jobs', label: 'Sync jobs' },
  { key: 'queues', label: 'Queues & storage' },
  { key: 'indexers', label: 'Indexers' },
];

export default function AdminPage() {
  const session = useSession();
  const [params, setParams] = useSearchParams<{ tab?: string }>();
  // The tab lives in the URL so a reload or a shared link opens the same view.
  const tab = () => TABS.find((t) => t.key === params.tab)?.key ?? 'users';
  const select = (key: TabKey) => setParams({ tab: key === 'users' ? undefined : key, q: undefined, page: undefined }, { replace: true });

  return (
    <Page title="Admin" description="Accounts, workers, scheduled jobs, storage and indexers of this /seen/ server.">
      <Switch>
        <Match when={session.user()?.role !== 'admin'}>
          <EmptyState icon={ShieldCheck} title="Administrators only" body="Ask the person who runs this /seen/ server to make your account an admin." />
        </Match>
        <Match when={true}>
          <Tabs label="Admin sections" tabs={TABS} selected={tab()} onSelect={select}>
            <Switch>
              <Match when={tab() === 'users'}><UsersTab /></Match>
              <Match when={tab() === 'workers'}><WorkersTab /></Match>
              <Match when={tab() === 'jobs'}><SyncJobsTab /></Match>
              <Match when={tab() === 'queues'}><QueuesStorageTab /></Match>
              <Match when={tab() === 'indexers'}><IndexersTab /></Match>
            </Switch>
          </Tabs>
        </Match>
      </Switch>
    </Page>
  );
}
