import type { QueryKey } from '@tanstack/solid-query';
import { createEffect } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { setQueryData, type ApiQuery } from '../../api/queryClient';
import { optimistic } from '../../lib/optimistic';

/**
 * An admin list (indexers, media servers) edited in place in the query cache. `rows` keep their DOM (a test's
 * outcome, the focus, a sync being followed) when the list is saved, tested or reloaded: matched by id.
 */
export function createEditableList<T extends { id: string }>(query: ApiQuery<T[]>, key: QueryKey) {
  const edit = (update: (list: T[] | undefined) => T[] | undefined) => setQueryData<T[]>(key, update);
  // The store gets a copy: reconcile writes into the objects it holds, and a rollback needs the originals.
  const [rows, setRows] = createStore<T[]>([]);
  createEffect(() => setRows(reconcile(structuredClone(query.data ?? []), { key: 'id' })));
  return {
    rows,
    add: (item: T) => edit((list) => [...(list ?? []), item]),
    replace: (item: T) => edit((list) => list?.map((x) => (x.id === item.id ? item : x))),
    /** Takes the item out at once; puts it back, with a toast saying why, when the server refuses. */
    remove: (item: T, commit: () => Promise<unknown>, failure: string) => {
      const before = query.data;
      return optimistic({
        apply: () => edit((list) => list?.filter((x) => x.id !== item.id)),
        commit,
        rollback: () => edit(() => before),
        failure,
      });
    },
  };
}
