/**
 * `work` over `items`, at most `limit` at once, results in order. After the first failure no new
 * item is started, and the call rejects with that failure once the items under way have settled:
 * nothing keeps running behind a caller that was told it failed (a re-run never races leftovers).
 */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    for (let i = next++; i < items.length && failure === undefined; i = next++) {
      try {
        results[i] = await work(items[i]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}
