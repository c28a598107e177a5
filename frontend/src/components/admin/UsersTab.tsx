import { useSearchParams } from '@solidjs/router';
import Users from 'lucide-solid/icons/users';
import { createSignal, For, Show } from 'solid-js';
import { adminKeys, disableUser, enableUser, fetchUsers, setUserRole, type AdminUser } from '../../api/admin';
import { toApiError } from '../../api/client';
import { createApiQuery, setQueryData } from '../../api/queryClient';
import { formatDate, formatRelative } from '../../lib/format';
import { optimistic } from '../../lib/optimistic';
import { useSession } from '../../stores/session';
import { showToast } from '../../stores/toasts';
import { buttonStyles } from '../ui/button';
import { EmptyState } from '../ui/EmptyState';
import { fieldStyles } from '../ui/form';
import { Section } from '../ui/Page';
import { Pagination } from '../ui/Pagination';
import { QueryView } from '../ui/QueryView';
import { ListSkeleton } from '../ui/Skeleton';

const PAGE_SIZE = 25;

const named = (user: AdminUser) => Boolean(user.displayName?.trim()) && user.displayName!.trim() !== user.email;
/** The account's name line: its display name, else its e-mail. */
export const accountName = (user: AdminUser) => (named(user) ? user.displayName!.trim() : user.email);
/** The line under it: the e-mail when the name is not the e-mail, and "disabled"; empty when there is nothing more. */
export const accountDetail = (user: AdminUser) => [named(user) ? user.email : '', user.disabled ? 'disabled' : ''].filter(Boolean).join(' · ');

/** Accounts: search, role, enable/disable (you cannot demote or disable yourself). */
export function UsersTab() {
  const session = useSession();
  const [params, setParams] = useSearchParams<{ q?: string; page?: string }>();
  const [search, setSearch] = createSignal(params.q ?? '');
  const page = () => Math.max(1, Number.parseInt(params.page ?? '1', 10) || 1);
  const key = () => adminKeys.users(params.q ?? '', page());
  const users = createApiQuery(() => ({
    queryKey: key(),
    queryFn: () => fetchUsers(params.q ?? '', page(), PAGE_SIZE),
    enabled: session.user()?.role === 'admin',
  }));

  const replace = (updated: AdminUser) =>
    setQueryData<Awaited<ReturnType<typeof fetchUsers>>>(
      key(),
      (current) => current && { ...current, items: current.items.map((u) => (u.id === updated.id ? updated : u)) },
    );

  const setRole = (user: AdminUser, role: AdminUser['role']) =>
    void optimistic({
      apply: () => replace({ ...user, role }),
      commit: async () => replace(await setUserRole(user.id, role)),
      rollback: () => replace(user),
      failure: `Couldn't change ${user.email}'s role`,
    });

  const setDisabled = async (user: AdminUser, disabled: boolean) => {
    try {
      const updated = disabled ? await disableUser(user.id) : await enableUser(user.id);
      replace(updated);
      showToast({ tone: 'success', title: disabled ? 'Account disabled' : 'Account enabled', body: user.email });
    } catch (error) {
      showToast({ tone: 'error', title: `Couldn't ${disabled ? 'disable' : 'enable'} ${user.email}`, body: toApiError(error).message });
    }
  };

  return (
    <Section
      id="users"
      title="Users"
      aside={
        <form
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            setParams({ q: search().trim() || undefined, page: undefined });
          }}
        >
          <label for="user-search" class="sr-only">Search e-mail addresses</label>
          <input id="user-search" type="search" class={`${fieldStyles.input} h-10 w-56 rounded-full`} placeholder="Search e-mail…" value={search()} onInput={(e) => setSearch(e.currentTarget.value)} />
        </form>
      }
    >
      <QueryView
        query={users}
        loading={<ListSkeleton rows={4} label="Loading accounts…" />}
        isEmpty={(p) => p.items.length === 0}
        empty={<EmptyState icon={Users} level={3} title="No accounts match" body="Try part of an e-mail address." />}
      >
        {(p) => (
          <>
            <div class="overflow-x-auto rounded-2xl border border-line">
              <table class="w-full min-w-[44rem] text-left text-sm">
                <thead class="border-b border-line bg-surface text-xs uppercase tracking-[0.12em] text-ink-subtle">
                  <tr>
                    <th scope="col" class="px-4 py-3 font-medium">Account</th>
                    <th scope="col" class="px-4 py-3 font-medium">Role</th>
                    <th scope="col" class="px-4 py-3 font-medium">Joined</th>
                    <th scope="col" class="px-4 py-3 font-medium">Last active</th>
                    <th scope="col" class="px-4 py-3 font-medium"><span class="sr-only">Actions</span></th>
                  </tr>
                </thead>
                <tbody class="divide-y divide-line">
                  <For each={p().items}>
                    {(user) => (
                      <tr classList={{ 'opacity-55': user.disabled }}>
                        <td class="px-4 py-3">
                          {/* The e-mail once: under the display name, or as the name when there is none. */}
                          <p class="font-medium text-ink">{accountName(user)}</p>
                          <Show when={accountDetail(user)}>
                            <p class="text-xs text-ink-subtle">{accountDetail(user)}</p>
                          </Show>
                        </td>
                        <td class="px-4 py-3">
                          <label class="sr-only" for={`role-${user.id}`}>Role of {user.email}</label>
                          <select id={`role-${user.id}`} class={`${fieldStyles.select} h-9`} value={user.role} disabled={user.id === session.user()?.id} onChange={(e) => setRole(user, e.currentTarget.value as AdminUser['role'])}>
                            <option value="user">User</option>
                            <option value="admin">Admin</option>
                          </select>
                        </td>
                        <td class="px-4 py-3 text-ink-muted">{formatDate(user.createdAt)}</td>
                        <td class="px-4 py-3 text-ink-muted">{user.lastActiveAt ? formatRelative(user.lastActiveAt) : 'never'}</td>
                        <td class="px-4 py-3 text-right">
                          <Show when={user.id !== session.user()?.id} fallback={<span class="text-xs text-ink-subtle">you</span>}>
                            <button type="button" class={`${buttonStyles.ghost} ${user.disabled ? '' : 'hover:text-danger'}`} onClick={() => void setDisabled(user, !user.disabled)}>
                              {user.disabled ? 'Enable' : 'Disable'}
                            </button>
                          </Show>
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
            <Pagination page={p().page} pageSize={p().pageSize} total={p().total} onPage={(n) => setParams({ page: n > 1 ? String(n) : undefined })} />
          </>
        )}
      </QueryView>
    </Section>
  );
}
