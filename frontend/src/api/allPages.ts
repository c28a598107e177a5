/** Every page of a `Page[...]` list endpoint (pageSize 100, the API's maximum). */
export async function fetchAllPages<T>(
  fetchPage: (page: number, pageSize: number) => Promise<{ items: T[]; total: number }>,
): Promise<T[]> {
  const pageSize = 100;
  const all: T[] = [];
  for (let page = 1; page <= 1000; page += 1) {
    const result = await fetchPage(page, pageSize);
    all.push(...result.items);
    if (result.items.length < pageSize || all.length >= result.total) break;
  }
  return all;
}
