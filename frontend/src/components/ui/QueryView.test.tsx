import { screen, waitFor } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { createApiQuery } from '../../api/queryClient';
import { renderWithQuery, testQueryClient } from '../../test/query';
import { QueryView } from './QueryView';

describe('QueryView', () => {
  it('marks cached content data-fetching while the page asks again, and clears it with the answer', async () => {
    const client = testQueryClient();
    client.setQueryData(['picks'], 'cached picks');
    let answer: (value: string) => void = () => {};
    function Picks() {
      const query = createApiQuery(() => ({
        queryKey: ['picks'],
        queryFn: () => new Promise<string>((resolve) => (answer = resolve)),
        refetchOnMount: 'always' as const,
      }));
      return <QueryView query={query} loading={<p>loading</p>}>{(data) => <p>{data()}</p>}</QueryView>;
    }
    renderWithQuery(() => <Picks />, client);
    const shown = screen.getByText('cached picks').parentElement!;
    expect(shown).toHaveAttribute('data-fetching'); // the cache shows at once; it is not the answer yet
    expect(shown).toHaveAttribute('aria-busy', 'false'); // a quiet refetch: not dimmed
    answer('fresh picks');
    await waitFor(() => expect(screen.getByText('fresh picks').parentElement).not.toHaveAttribute('data-fetching'));
  });
});
